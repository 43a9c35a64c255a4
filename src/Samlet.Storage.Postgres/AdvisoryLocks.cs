namespace Samlet.Storage.Postgres;

/// <summary>
/// Keys of the transaction-scoped advisory locks the store takes (<c>pg_advisory_xact_lock</c>): "SAMLET" in hex and
/// a number, unlikely to collide with another application's keys in a shared database.
/// </summary>
internal static class AdvisoryLocks
{
    /// <summary>Held while migrations run, so two instances starting at once apply each script once.</summary>
    public const long Migrations = 0x53414D4C45540001;

    /// <summary>Held from taking sequence numbers to commit, so the log's order is the commit order (ADR 6).</summary>
    public const long Append = 0x53414D4C45540002;

    /// <summary>Held while a month's partition is created.</summary>
    public const long Partitions = 0x53414D4C45540003;
}

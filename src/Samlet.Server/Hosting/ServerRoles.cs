namespace Samlet.Server.Hosting;

/// <summary>
/// What one instance does (<c>--roles</c>, <c>SAMLET__Roles</c>; all by default): <c>ingest</c> serves the Tracking API,
/// <c>pipeline</c> runs the pipeline worker, <c>ui</c> serves the admin and read APIs, <c>delivery</c> will run
/// destinations (none yet). Health endpoints are always served. Several instances on one PostgreSQL split the roles.
/// </summary>
internal sealed record ServerRoles(bool Ingest, bool Pipeline, bool Ui, bool Delivery)
{
    public const string Key = "Roles";

    public static ServerRoles All { get; } = new(true, true, true, true);

    /// <summary>Reads a comma-separated list (<c>all</c>, or any of ingest, pipeline, ui, delivery); throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static ServerRoles Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return All;
        }

        var roles = new ServerRoles(false, false, false, false);
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            roles = name.ToLowerInvariant() switch
            {
                "all" => All,
                "ingest" => roles with { Ingest = true },
                "pipeline" => roles with { Pipeline = true },
                "ui" => roles with { Ui = true },
                "delivery" => roles with { Delivery = true },
                _ => throw new ArgumentException($"Unknown role \"{name}\": use all, or any of ingest, pipeline, ui, delivery, separated by commas."),
            };
        }

        return roles == new ServerRoles(false, false, false, false)
            ? throw new ArgumentException("No role given: use all, or any of ingest, pipeline, ui, delivery.")
            : roles;
    }

    public override string ToString() => string.Join(",", new[] { (Ingest, "ingest"), (Pipeline, "pipeline"), (Ui, "ui"), (Delivery, "delivery") }.Where(r => r.Item1).Select(r => r.Item2));
}

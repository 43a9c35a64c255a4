namespace Samlet.Storage.Sqlite;

/// <summary>
/// A lease as an exclusively opened file next to the database (<c>samlet.db.{name}.lease</c>): .NET locks it for the
/// whole open (flock on Unix), and the operating system drops the lock when the holding process ends.
/// </summary>
internal sealed class SqliteLease(FileStream file) : ILease
{
    public static ILease? TryTake(string databasePath, string name)
    {
        try
        {
            return new SqliteLease(new FileStream($"{databasePath}.{name}.lease", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null; // held by another store (in this process or another)
        }
    }

    public Task<bool> IsHeldAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public ValueTask DisposeAsync() => file.DisposeAsync();
}

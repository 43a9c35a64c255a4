namespace Samlet.Storage.Sqlite;

/// <summary>
/// A lease as an exclusively opened file in a folder next to the database (<c>samlet.db-leases/{name}</c>): .NET locks
/// it for the whole open (flock on Unix), and the operating system drops the lock when the holding process ends.
/// </summary>
internal sealed class SqliteLease(FileStream file) : ILease
{
    public static ILease? TryTake(string databasePath, string name)
    {
        try
        {
            // The pipeline alone uses 16 names (partitions and member slots): a folder of their own keeps them together.
            var folder = Directory.CreateDirectory(databasePath + "-leases");
            return new SqliteLease(new FileStream(Path.Combine(folder.FullName, name), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null; // held by another store (in this process or another)
        }
    }

    public Task<bool> IsHeldAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public ValueTask DisposeAsync() => file.DisposeAsync();
}

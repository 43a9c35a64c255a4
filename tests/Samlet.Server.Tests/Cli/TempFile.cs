namespace Samlet.Server.Tests.Cli;

/// <summary>A file with the given text in a fresh temporary folder, deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("samlet-cli-").FullName;

    public TempFile(string name, string text)
    {
        Path = System.IO.Path.Combine(_folder, name);
        File.WriteAllText(Path, text);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

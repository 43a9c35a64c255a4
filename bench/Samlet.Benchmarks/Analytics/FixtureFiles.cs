namespace Samlet.Benchmarks.Analytics;

/// <summary>Finds the test fixtures (public reference data) from wherever BenchmarkDotNet runs the benchmark.</summary>
internal static class FixtureFiles
{
    public static string Find(params string[] parts)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Samlet.slnx")))
            {
                return Path.Combine([folder.FullName, "tests", "Samlet.Core.Tests", "Fixtures", .. parts]);
            }
        }

        throw new FileNotFoundException($"Samlet.slnx not found above {AppContext.BaseDirectory}; run the benchmarks from the repository.");
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.IO.Pipelines;
using Samlet.Demo;
using Spectre.Console;

namespace Samlet.Server.Cli;

/// <summary><c>samlet demo generate</c>: writes the synthetic web-shop data set as Segment JSON Lines.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var demo = new Command("demo", "Synthetic demo data.");
        demo.Subcommands.Add(CreateGenerate());
        return demo;
    }

    private static Command CreateGenerate()
    {
        var customers = new Option<int>("--customers")
        {
            Description = "Customers who sign up during the window (as many anonymous visitors come on top).",
            DefaultValueFactory = _ => DemoOptions.DefaultCustomers,
        };
        customers.Validators.Add(r => RequireRange(r, r.GetValueOrDefault<int>(), 1, DemoOptions.MaxCustomers));
        var days = new Option<int>("--days")
        {
            Description = "Length of the window in days.",
            DefaultValueFactory = _ => DemoOptions.DefaultDays,
        };
        days.Validators.Add(r => RequireRange(r, r.GetValueOrDefault<int>(), 1, DemoOptions.MaxDays));
        var seed = new Option<long>("--seed")
        {
            Description = "Random seed; the same seed and options give byte-identical output.",
            DefaultValueFactory = _ => DemoOptions.DefaultSeed,
        };
        var end = new Option<DateOnly?>("--end")
        {
            Description = $"The window ends at midnight UTC at the start of this date, yyyy-MM-dd [default: {DemoOptions.DefaultEnd:yyyy-MM-dd}]",
            CustomParser = ParseDate,
        };
        var badData = new Option<double>("--bad-data")
        {
            Description = "Multiplier of the documented bad-data rates; 0 writes clean data.",
            DefaultValueFactory = _ => 1.0,
        };
        badData.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<double>();
            if (v is < 0 or > 100)
            {
                r.AddError("--bad-data must be between 0 and 100.");
            }
        });
        var output = new Option<FileInfo?>("--out", "-o")
        {
            Description = "Output file (default: standard output). A .gz suffix compresses with gzip.",
        };
        output.AcceptLegalFilePathsOnly();

        var generate = new Command("generate", "Write a deterministic synthetic year of a web shop as Segment events (JSON Lines).")
        {
            customers, days, seed, end, badData, output,
        };
        generate.SetAction((parse, cancellationToken) =>
        {
            var options = new DemoOptions
            {
                Customers = parse.GetValue(customers),
                Days = parse.GetValue(days),
                Seed = parse.GetValue(seed),
                End = parse.GetValue(end) ?? DemoOptions.DefaultEnd,
                BadDataScale = parse.GetValue(badData),
            };
            return Generate(options, parse.GetValue(output), parse.InvocationConfiguration.Error, cancellationToken);
        });
        return generate;
    }

    private static async Task<int> Generate(DemoOptions options, FileInfo? file, TextWriter error, CancellationToken cancellationToken)
    {
        var shop = new DemoShop(options);
        var clock = Stopwatch.StartNew();
        DemoStats stats;
        if (file is null)
        {
            using var stdout = Console.OpenStandardOutput();
            stats = shop.WriteJsonLines(stdout, cancellationToken: cancellationToken);
        }
        else
        {
            file.Directory?.Create();
            await using var stream = OpenOutput(file);
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
            stats = await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(ctx =>
                {
                    var task = ctx.AddTask($"{options.Days} days, {options.Customers:N0} customers", maxValue: 1.0);
                    var progress = new ProgressCallback(s =>
                    {
                        task.Value = s.Fraction;
                        task.Description = $"{s.Events:N0} events";
                    });
                    return WriteWithBackgroundCompression(shop, stream, progress, cancellationToken);
                });
        }

        clock.Stop();
        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
        var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Wrote {stats.Events:N0} events ({stats.Bytes / (1024.0 * 1024.0):N1} MB of JSON) from {shop.Start:yyyy-MM-dd} to {shop.End:yyyy-MM-dd} in {seconds:N1} s: {stats.Events / seconds:N0} events/s, peak working set {peakMb:N0} MB."));
        return 0;
    }

    /// <summary>
    /// Generates on one thread while another compresses and writes, through a bounded pipe:
    /// gzip costs about as much CPU as generating, so the two overlap on a multi-core machine.
    /// </summary>
    private static async Task<DemoStats> WriteWithBackgroundCompression(
        DemoShop shop, Stream destination, IProgress<DemoStats> progress, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 16 << 20, resumeWriterThreshold: 8 << 20, useSynchronizationContext: false));
        var drain = Task.Run(
            async () =>
            {
                await using var reader = pipe.Reader.AsStream();
                await reader.CopyToAsync(destination, 1 << 20, cancellationToken);
            },
            cancellationToken);
        var generate = Task.Run(
            () =>
            {
                try
                {
                    using var writer = pipe.Writer.AsStream();
                    return shop.WriteJsonLines(writer, progress, cancellationToken);
                }
                catch (Exception ex)
                {
                    pipe.Writer.Complete(ex);
                    throw;
                }
            },
            cancellationToken);
        await Task.WhenAll(generate, drain);
        return await generate;
    }

    private static Stream OpenOutput(FileInfo file)
    {
        var stream = new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        return file.Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: false)
            : stream;
    }

    private static DateOnly? ParseDate(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        result.AddError($"'{text}' is not a date in the form yyyy-MM-dd.");
        return null;
    }

    private static void RequireRange(OptionResult result, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            result.AddError($"{result.Option.Name} must be between {min} and {max}.");
        }
    }

    /// <summary>Reports on the generating thread; <see cref="Progress{T}"/> would post to the thread pool.</summary>
    private sealed class ProgressCallback(Action<DemoStats> report) : IProgress<DemoStats>
    {
        public void Report(DemoStats value) => report(value);
    }
}

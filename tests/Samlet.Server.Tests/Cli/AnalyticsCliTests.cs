using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Samlet.Server.Cli;

namespace Samlet.Server.Tests.Cli;

public sealed class AnalyticsCliTests : IDisposable
{
    private static readonly string _fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");
    private static readonly string _orders = Path.Combine(_fixtures, "rfm", "orders.csv");
    private readonly string _directory = Directory.CreateTempSubdirectory("samlet-analytics-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Clv_reproduces_the_published_CDNOW_estimates_in_json()
    {
        var file = CdnowCsv("customer_id,date,amount", withAmounts: true);

        var (code, output, error) = Run("analytics", "clv", "--transactions", file, "--calibration-end", "1997-09-30",
            "--holdout-end", "19980630", "--horizon", "39");

        Assert.Equal((0, ""), (code, error));
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("bgnbd", root.GetProperty("model").GetString());
        var parameters = root.GetProperty("parameters");
        Assert.Equal(0.243, parameters.GetProperty("r").GetDouble(), 0.0006);
        Assert.Equal(4.414, parameters.GetProperty("alpha").GetDouble(), 0.0006);
        Assert.Equal(0.793, parameters.GetProperty("a").GetDouble(), 0.0006);
        Assert.Equal(2.426, parameters.GetProperty("b").GetDouble(), 0.0006);
        Assert.Equal(-9582.4, root.GetProperty("logLikelihood").GetDouble(), 0.06);
        Assert.True(root.GetProperty("standardErrors").GetProperty("r").GetDouble() > 0);
        var spend = root.GetProperty("spend");
        Assert.Equal(6.25, spend.GetProperty("p").GetDouble(), 0.006);
        Assert.Equal(3.74, spend.GetProperty("q").GetDouble(), 0.006);
        Assert.Equal(15.44, spend.GetProperty("gamma").GetDouble(), 0.006);
        Assert.Equal(946, spend.GetProperty("customers").GetInt32());
        var holdout = root.GetProperty("holdout");
        Assert.Equal(HoldoutPurchaseDays(), holdout.GetProperty("actualRepeatPurchases").GetInt64());
        Assert.InRange(holdout.GetProperty("predictedRepeatPurchases").GetDouble() / holdout.GetProperty("actualRepeatPurchases").GetDouble(), 0.85, 1.15);

        var customers = root.GetProperty("customers").EnumerateArray().ToList();
        Assert.Equal(2357, customers.Count);
        foreach (var c in customers)
        {
            Assert.InRange(c.GetProperty("pAlive").GetDouble(), 0, 1);
            var clv = c.GetProperty("expectedPurchases").GetDouble() * c.GetProperty("expectedSpend").GetDouble();
            Assert.Equal(clv, c.GetProperty("clv").GetDouble(), 1e-9 * Math.Max(1, clv));
        }
    }

    [Fact]
    public void Clv_fits_Pareto_NBD_from_renamed_columns_and_writes_csv()
    {
        var file = CdnowCsv("buyer,day,dollars", withAmounts: true);

        var (code, output, _) = Run("analytics", "clv", "--transactions", file, "--calibration-end", "1997-09-30",
            "--model", "paretonbd", "--format", "csv", "--customer", "buyer", "--date", "day", "--amount", "dollars");

        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,frequency,recency,T,monetary,expected_purchases,p_alive,expected_spend,clv", lines[0]);
        Assert.Equal(2357 + 1, lines.Length);
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(',');
            var pAlive = double.Parse(fields[6], CultureInfo.InvariantCulture);
            Assert.InRange(pAlive, 0, 1);
            Assert.True(double.Parse(fields[8], CultureInfo.InvariantCulture) >= 0);
        }
    }

    [Fact]
    public void Clv_without_amounts_predicts_purchases_but_no_spend()
    {
        var file = CdnowCsv("customer_id,date", withAmounts: false);

        var (code, output, _) = Run("analytics", "clv", "--transactions", file, "--calibration-end", "1997-09-30", "--time-unit", "days", "--horizon", "90");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.False(json.RootElement.TryGetProperty("spend", out _));
        Assert.Equal("days", json.RootElement.GetProperty("timeUnit").GetString());
        var first = json.RootElement.GetProperty("customers")[0];
        Assert.Equal(JsonValueKind.Null, first.GetProperty("clv").ValueKind);
        Assert.True(first.GetProperty("expectedPurchases").GetDouble() > 0);
    }

    [Fact]
    public void Clv_falls_for_every_customer_when_the_discount_rate_rises()
    {
        var file = CdnowCsv("customer_id,date,amount", withAmounts: true);
        double[] Values(string rate)
        {
            var (_, output, _) = Run("analytics", "clv", "--transactions", file, "--calibration-end", "1997-09-30", "--discount-rate", rate);
            using var json = JsonDocument.Parse(output);
            return json.RootElement.GetProperty("customers").EnumerateArray().Select(c => c.GetProperty("clv").GetDouble()).ToArray();
        }

        var undiscounted = Values("0");
        var discounted = Values("0.01");

        Assert.All(undiscounted.Zip(discounted), pair => Assert.True(pair.Second < pair.First));
    }

    [Fact]
    public void Clv_prints_tables_for_people()
    {
        var file = CdnowCsv("customer_id,date,amount", withAmounts: true);

        var (code, output, _) = Run("analytics", "clv", "--transactions", file, "--calibration-end", "1997-09-30", "--format", "table");

        Assert.Equal(0, code);
        Assert.Contains("alpha", output, StringComparison.Ordinal);
        Assert.Contains("gamma-gamma", output, StringComparison.Ordinal);
        Assert.Contains("top 20 customers", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Rfm_scores_the_rfm_package_orders()
    {
        var (code, output, error) = Run("analytics", "rfm", "--orders", _orders, "--as-of", "2007-01-01", "--date", "order_date", "--amount", "revenue");

        Assert.Equal((0, ""), (code, error));
        using var json = JsonDocument.Parse(output);
        var customers = json.RootElement.GetProperty("customers").EnumerateArray().ToList();
        Assert.Equal(995, customers.Count);
        // Add Senger: orders on 2005-06-08, 2005-11-12 and 2006-08-13 for 114 + 208 + 18.
        var senger = customers.Single(c => c.GetProperty("id").GetString() == "Add Senger");
        Assert.Equal(141, senger.GetProperty("recencyDays").GetInt32());
        Assert.Equal(3, senger.GetProperty("frequency").GetInt32());
        Assert.Equal(340, senger.GetProperty("monetary").GetDouble());
        foreach (var c in customers)
        {
            int r = c.GetProperty("recencyScore").GetInt32(), f = c.GetProperty("frequencyScore").GetInt32(), m = c.GetProperty("monetaryScore").GetInt32();
            Assert.All((int[])[r, f, m], s => Assert.InRange(s, 1, 5));
            Assert.Equal((r * 100) + (f * 10) + m, c.GetProperty("rfmScore").GetInt32());
        }

        var segments = json.RootElement.GetProperty("segments").EnumerateArray().Sum(s => s.GetProperty("customers").GetInt32());
        Assert.Equal(995, segments);
    }

    [Fact]
    public void Rfm_writes_csv_with_quoted_ids()
    {
        var file = Path.Combine(_directory, "orders.csv");
        File.WriteAllText(file, "customer_id,date,amount\n\"Doe, Jane\",2024-01-05,10\nb,2024-01-20,5\nc,2024-02-01,7\n");

        var (code, output, _) = Run("analytics", "rfm", "--orders", file, "--as-of", "2024-02-10", "--format", "csv");

        Assert.Equal(0, code);
        Assert.Contains("\"Doe, Jane\",2024-01-05,36,1,10,", output, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[]> BadInput => new()
    {
        { "Option '--calibration-end' is required", ["--transactions", "{file}"] },
        { "file not found", ["--transactions", "{dir}/missing.csv", "--calibration-end", "1997-09-30"] },
        { "--calibration-end: cannot read '1997-09-31' as a date", ["--transactions", "{file}", "--calibration-end", "1997-09-31"] },
        { "unrecognised argument '--colour'", ["--transactions", "{file}", "--calibration-end", "1997-09-30", "--colour"] },
        { "Argument 'xml' not recognized", ["--transactions", "{file}", "--calibration-end", "1997-09-30", "--format", "xml"] },
        { "--holdout-end must come after --calibration-end", ["--transactions", "{file}", "--calibration-end", "1997-09-30", "--holdout-end", "1997-01-01"] },
        { "--horizon must be a positive number", ["--transactions", "{file}", "--calibration-end", "1997-09-30", "--horizon", "0"] },
        { "no amount column 'price'", ["--transactions", "{file}", "--calibration-end", "1997-09-30", "--amount", "price"] },
        { "nobody made a first purchase on or before the calibration end", ["--transactions", "{file}", "--calibration-end", "1990-01-01"] },
        { "line 3: column 'date': cannot read '2024-13-01' as a date", ["--transactions", "{bad-date}", "--calibration-end", "2024-06-30"] },
        { "line 3: column 'amount': negative amount", ["--transactions", "{negative}", "--calibration-end", "2024-06-30"] },
        { "no customer made a repeat purchase", ["--transactions", "{no-repeats}", "--calibration-end", "2024-06-30"] },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Clv_reports_bad_input_on_stderr_with_exit_code_2(string message, string[] arguments)
    {
        var file = CdnowCsv("customer_id,date,amount", withAmounts: true);
        var badDate = Write("bad-date.csv", "customer_id,date,amount\na,2024-01-01,5\na,2024-13-01,5\n");
        var negative = Write("negative.csv", "customer_id,date,amount\na,2024-01-01,5\na,2024-02-01,-5\n");
        var noRepeats = Write("no-repeats.csv", "customer_id,date,amount\na,2024-01-01,5\nb,2024-02-01,5\nc,2024-03-01,5\n");
        var resolved = arguments.Select(a => a.Replace("{file}", file, StringComparison.Ordinal).Replace("{dir}", _directory, StringComparison.Ordinal)
            .Replace("{bad-date}", badDate, StringComparison.Ordinal).Replace("{negative}", negative, StringComparison.Ordinal)
            .Replace("{no-repeats}", noRepeats, StringComparison.Ordinal));

        var (code, output, error) = Run(["analytics", "clv", .. resolved]);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rfm_reports_a_missing_column_and_a_missing_subcommand_with_exit_code_2()
    {
        var (code, output, error) = Run("analytics", "rfm", "--orders", _orders, "--as-of", "2007-01-01");

        Assert.Equal((2, ""), (code, output));
        Assert.Contains("no date column 'date'", error, StringComparison.Ordinal);

        (code, _, error) = Run("analytics");
        Assert.Equal(2, code);
        Assert.Contains("choose a sub-command: clv, rfm", error, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = SamletCommand.Create().Parse(arguments).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The CDNOW sample (whitespace-separated, see Fixtures/README.md) as CSV: sample id, yyyyMMdd date, dollars.</summary>
    private string CdnowCsv(string header, bool withAmounts)
    {
        var lines = File.ReadLines(Path.Combine(_fixtures, "cdnow", "CDNOW_sample.txt"))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 5)
            .Select(f => withAmounts ? $"{f[1]},{f[2]},{f[4]}" : $"{f[1]},{f[2]}");
        return Write($"cdnow-{header.Replace(',', '-')}.csv", string.Join('\n', lines.Prepend(header)));
    }

    /// <summary>Distinct (customer, day) pairs from 1997-10-01 to 1998-06-30, counted straight from the raw file.</summary>
    private static long HoldoutPurchaseDays() =>
        File.ReadLines(Path.Combine(_fixtures, "cdnow", "CDNOW_sample.txt"))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 5 && string.CompareOrdinal(f[2], "19971001") >= 0 && string.CompareOrdinal(f[2], "19980630") <= 0)
            .Select(f => (f[1], f[2]))
            .Distinct()
            .LongCount();
}

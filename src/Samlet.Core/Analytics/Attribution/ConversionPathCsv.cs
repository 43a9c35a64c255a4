using System.Globalization;

namespace Samlet.Analytics.Attribution;

/// <summary>
/// Reads ChannelAttribution-style path data: a header line naming the columns <c>path</c> and
/// <c>total_conversions</c> (required) and <c>total_conversion_value</c> and <c>total_null</c> (optional, 0 when absent),
/// in any order; comma-separated, fields optionally in double quotes (a quote inside is doubled), one record per line.
/// Channels in <c>path</c> are separated by "&gt;" (normally " &gt; ") and trimmed; numbers use a dot as decimal separator.
/// </summary>
public static class ConversionPathCsv
{
    public static IReadOnlyList<ConversionPath> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var header = reader.ReadLine() ?? throw new FormatException("The path file is empty: expected a header line with path and total_conversions.");
        var columns = SplitFields(header, 1).Select(name => name.Trim().ToLowerInvariant()).ToList();
        var pathColumn = Required(columns, "path");
        var conversionsColumn = Required(columns, "total_conversions");
        var valueColumn = columns.IndexOf("total_conversion_value");
        var nullColumn = columns.IndexOf("total_null");

        var paths = new List<ConversionPath>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = SplitFields(line, lineNumber);
            if (fields.Count != columns.Count)
            {
                throw new FormatException($"Line {lineNumber}: expected {columns.Count} fields as in the header, found {fields.Count}.");
            }

            var channels = fields[pathColumn].Length == 0 ? [] : fields[pathColumn].Split('>').Select(channel => channel.Trim()).ToArray();
            paths.Add(new ConversionPath(
                channels,
                Number(fields, conversionsColumn, lineNumber, "total_conversions"),
                valueColumn >= 0 ? Number(fields, valueColumn, lineNumber, "total_conversion_value") : 0,
                nullColumn >= 0 ? Number(fields, nullColumn, lineNumber, "total_null") : 0));
        }

        if (paths.Count == 0)
        {
            throw new FormatException("The path file has a header but no path.");
        }

        return paths;
    }

    public static IReadOnlyList<ConversionPath> Read(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader);
    }

    private static int Required(List<string> columns, string name)
    {
        var index = columns.IndexOf(name);
        return index >= 0
            ? index
            : throw new FormatException($"The header has no '{name}' column (found: {string.Join(", ", columns)}).");
    }

    private static double Number(List<string> fields, int column, int lineNumber, string name)
    {
        var text = fields[column].Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
        {
            throw new FormatException($"Line {lineNumber}: {name} '{text}' is not a finite number >= 0.");
        }

        return value;
    }

    private static List<string> SplitFields(string line, int lineNumber)
    {
        var fields = new List<string>();
        if (CsvLine.Split(line, fields, textMayFollowQuote: true) == CsvLineProblem.UnclosedQuote)
        {
            throw new FormatException($"Line {lineNumber}: a quoted field is not closed.");
        }

        return fields;
    }
}

using FsCheck;
using FsCheck.Fluent;
using Samlet.Analytics;

namespace Samlet.Core.Tests.Analytics;

public sealed class CsvLineTests
{
    [Theory]
    [InlineData("a,b", new[] { "a", "b" })]
    [InlineData("\"a,b\",c", new[] { "a,b", "c" })]
    [InlineData("\"say \"\"hi\"\"\",x", new[] { "say \"hi\"", "x" })]
    [InlineData("a\"b,\"\"", new[] { "a\"b", "" })]
    [InlineData(",", new[] { "", "" })]
    [InlineData("", new[] { "" })]
    [InlineData(" \"a\" ", new[] { " \"a\" " })]
    public void Splits_quoted_and_unquoted_fields(string line, string[] expected)
    {
        var fields = new List<string>();

        var problem = CsvLine.Split(line, fields, textMayFollowQuote: false);

        Assert.Equal(CsvLineProblem.None, problem);
        Assert.Equal(expected, fields);
    }

    [Fact]
    public void Reports_an_unclosed_quote_and_text_after_a_closing_quote_unless_allowed()
    {
        var fields = new List<string>();

        Assert.Equal(CsvLineProblem.UnclosedQuote, CsvLine.Split("x,\"a,b", fields, textMayFollowQuote: true));
        Assert.Equal(CsvLineProblem.UnclosedQuote, CsvLine.Split("\"a\"\"", fields, textMayFollowQuote: false));
        Assert.Equal(CsvLineProblem.TextAfterQuote, CsvLine.Split("\"a\"b,c", fields, textMayFollowQuote: false));
        Assert.Equal(CsvLineProblem.None, CsvLine.Split("\"a\"b\"d,c", fields, textMayFollowQuote: true));
        Assert.Equal(["ab\"d", "c"], fields);
    }

    [Fact]
    public void Reads_back_any_fields_written_with_quotes_where_needed()
    {
        var text = Gen.ArrayOf(Gen.Elements('a', ' ', ',', '"', 'é')).Select(chars => new string(chars));
        var field = Gen.Zip(text, Gen.Elements(false, true));
        var lines = Gen.NonEmptyListOf(field);

        Prop.ForAll(lines.ToArbitrary(), row =>
        {
            // Quote a field when it must be quoted (a comma or a leading quote), and at random otherwise.
            var line = string.Join(',', row.Select(f =>
                f.Item2 || f.Item1.Contains(',', StringComparison.Ordinal) || f.Item1.StartsWith('"')
                    ? $"\"{f.Item1.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
                    : f.Item1));
            var strict = new List<string>();
            var lenient = new List<string>();
            return CsvLine.Split(line, strict, textMayFollowQuote: false) == CsvLineProblem.None
                && CsvLine.Split(line, lenient, textMayFollowQuote: true) == CsvLineProblem.None
                && strict.SequenceEqual(row.Select(f => f.Item1))
                && lenient.SequenceEqual(strict);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }
}

using static Samlet.Core.Tests.Audiences.Build;

namespace Samlet.Core.Tests.Audiences;

public sealed class ComparisonTests
{
    private static readonly DateTimeOffset _now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("\"pro\"", "\"pro\"", true)]
    [InlineData("\"pro\"", "\"Pro\"", false)]
    [InlineData("2", "2.0", true)]
    [InlineData("2.0", "2", true)]
    [InlineData("2", "2.5", false)]
    [InlineData("2", "\"2\"", false)]
    [InlineData("\"2\"", "2", false)]
    [InlineData("true", "true", true)]
    [InlineData("true", "false", false)]
    [InlineData("true", "\"true\"", false)]
    [InlineData("\"pro\"", "null", false)]
    public void Equals_compares_numbers_numerically_and_strings_ordinally_within_one_json_type(string operand, string value, bool expected) =>
        Assert.Equal(expected, Matches("equals", operand, value));

    [Theory]
    [InlineData("\"pro\"", "\"free\"", true)]
    [InlineData("\"pro\"", "\"pro\"", false)]
    [InlineData("2", "2.0", false)]
    [InlineData("2", "3", true)]
    [InlineData("\"pro\"", "3", false)]
    [InlineData("false", "true", true)]
    public void NotEquals_needs_a_value_of_the_same_type_that_differs(string operand, string value, bool expected) =>
        Assert.Equal(expected, Matches("notEquals", operand, value));

    [Fact]
    public void A_missing_value_matches_no_operator_and_does_not_exist()
    {
        Assert.False(Matches("notEquals", "\"pro\"", null));
        Assert.False(Matches("exists", null, null));
        Assert.False(Matches("exists", null, "null"));
        Assert.True(Matches("exists", null, "\"\""));
        Assert.True(Matches("exists", null, "0"));
        Assert.True(Matches("exists", null, "[]"));
    }

    [Theory]
    [InlineData("\"shoe\"", "\"Running Shoes\"", true)]
    [InlineData("\"SHOE\"", "\"running shoes\"", true)]
    [InlineData("\"boot\"", "\"running shoes\"", false)]
    [InlineData("\"vip\"", "[\"new\", \"VIP\"]", true)]
    [InlineData("\"vi\"", "[\"new\", \"vip\"]", false)]
    [InlineData("\"1\"", "12", false)]
    public void Contains_is_case_insensitive_and_on_arrays_looks_for_an_equal_element(string operand, string value, bool expected) =>
        Assert.Equal(expected, Matches("contains", operand, value));

    [Theory]
    [InlineData("\"/blog\"", "\"/Blog/post\"", true)]
    [InlineData("\"/blog\"", "\"/shop/blog\"", false)]
    [InlineData("\"1\"", "12", false)]
    public void StartsWith_is_case_insensitive_on_strings(string operand, string value, bool expected) =>
        Assert.Equal(expected, Matches("startsWith", operand, value));

    [Theory]
    [InlineData("\"DK\"", true)]
    [InlineData("\"dk\"", false)]
    [InlineData("3.0", true)]
    [InlineData("4", false)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("\"3\"", false)]
    [InlineData("[\"DK\"]", false)]
    public void In_matches_members_of_a_mixed_list_by_type(string value, bool expected) =>
        Assert.Equal(expected, Matches("in", "[\"DK\", \"SE\", 3, true]", value));

    [Theory]
    [InlineData("greaterThan", "50", "50.01", true)]
    [InlineData("greaterThan", "50", "50", false)]
    [InlineData("greaterThanOrEqual", "50", "50.0", true)]
    [InlineData("greaterThanOrEqual", "50", "49.99", false)]
    [InlineData("lessThan", "50", "49.99", true)]
    [InlineData("lessThan", "50", "50", false)]
    [InlineData("lessThanOrEqual", "50", "50", true)]
    [InlineData("lessThanOrEqual", "50", "51", false)]
    [InlineData("greaterThan", "50", "\"60\"", false)]
    [InlineData("lessThan", "-1e3", "-1001", true)]
    public void Ordering_operators_compare_numbers_only(string op, string operand, string value, bool expected) =>
        Assert.Equal(expected, Matches(op, operand, value));

    [Theory]
    [InlineData("10", true)]
    [InlineData("20", true)]
    [InlineData("15.5", true)]
    [InlineData("9.999", false)]
    [InlineData("20.001", false)]
    [InlineData("\"15\"", false)]
    public void Between_numbers_is_inclusive_at_both_ends(string value, bool expected) =>
        Assert.Equal(expected, Matches("between", "[10, 20]", value));

    [Theory]
    [InlineData("\"2026-01-01T00:00:00Z\"", true)]
    [InlineData("\"2026-01-31T23:59:59Z\"", true)]
    [InlineData("\"2026-02-01T00:00:00Z\"", true)]
    [InlineData("\"2026-02-01T01:00:00+02:00\"", true)]
    [InlineData("\"2026-02-01T00:00:01Z\"", false)]
    [InlineData("\"2025-12-31T23:59:59Z\"", false)]
    [InlineData("\"not a date\"", false)]
    public void Between_date_times_is_inclusive_and_compares_in_utc(string value, bool expected) =>
        Assert.Equal(expected, Matches("between", "[\"2026-01-01\", \"2026-02-01T00:00:00Z\"]", value));

    [Theory]
    [InlineData("before", "\"2026-03-01T09:59:59Z\"", true)]
    [InlineData("before", "\"2026-03-01T10:00:00Z\"", false)]
    [InlineData("before", "\"2026-03-01T11:59:00+02:00\"", true)]
    [InlineData("after", "\"2026-03-01T10:00:00.0000001Z\"", true)]
    [InlineData("after", "\"2026-03-01T10:00:00Z\"", false)]
    [InlineData("after", "\"2026-03-01T12:00:00+02:00\"", false)]
    [InlineData("after", "\"yesterday\"", false)]
    [InlineData("before", "1700000000", false)]
    public void Before_and_after_are_strict_and_a_non_date_never_matches(string op, string value, bool expected) =>
        Assert.Equal(expected, Matches(op, "\"2026-03-01T10:00:00Z\"", value));

    [Fact]
    public void WithinLast_includes_the_edge_exactly_at_now_minus_the_duration_and_now_itself()
    {
        var within = Comparison("withinLast", "\"7d\"");
        bool At(DateTimeOffset t) => within.Matches(Json($"\"{t:O}\""), _now);
        Assert.True(At(_now - TimeSpan.FromDays(7)));
        Assert.False(At(_now - TimeSpan.FromDays(7) - TimeSpan.FromTicks(1)));
        Assert.True(At(_now));
        Assert.False(At(_now + TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void ChangesAt_for_withinLast_is_the_first_instant_the_answer_flips()
    {
        var within = Comparison("withinLast", "\"36h\"");
        var inside = Json("\"2026-03-09T12:00:00Z\"");
        var dropsOut = within.ChangesAt(inside, _now)!.Value;
        Assert.True(within.Matches(inside, dropsOut - TimeSpan.FromTicks(1)));
        Assert.False(within.Matches(inside, dropsOut));
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero).AddTicks(1), dropsOut);

        var future = Json("\"2026-03-12T00:00:00Z\"");
        var enters = within.ChangesAt(future, _now)!.Value;
        Assert.False(within.Matches(future, enters - TimeSpan.FromTicks(1)));
        Assert.True(within.Matches(future, enters));

        Assert.Null(within.ChangesAt(Json("\"2026-03-01T00:00:00Z\""), _now));
        Assert.Null(within.ChangesAt(Json("\"soon\""), _now));
        Assert.Null(within.ChangesAt(null, _now));
        Assert.Null(Comparison("after", "\"2026-01-01\"").ChangesAt(inside, _now));
    }

    [Theory]
    [InlineData("\"^[A-Z]{2}-\\\\d+$\"", "\"DK-1234\"", true)]
    [InlineData("\"^[A-Z]{2}-\\\\d+$\"", "\"dk-1234\"", false)]
    [InlineData("\"(?i)^[a-z]{2}-\\\\d+$\"", "\"DK-1234\"", true)]
    [InlineData("\"gmail\\\\.com$\"", "\"a@gmail.com\"", true)]
    [InlineData("\"1\"", "12", false)]
    public void Matches_runs_the_regular_expression_on_strings(string pattern, string value, bool expected) =>
        Assert.Equal(expected, Matches("matches", pattern, value));

    [Theory]
    [InlineData("\"(a)\\\\1\"")]
    [InlineData("\"foo(?=bar)\"")]
    [InlineData("\"(?<!x)y\"")]
    [InlineData("\"(?>ab)\"")]
    public void Patterns_that_need_backtracking_are_refused_as_too_expensive(string pattern)
    {
        var problem = Assert.Single(Problems("matches", pattern));
        Assert.Equal("/value", problem.Path);
        Assert.StartsWith("too expensive to evaluate: ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pattern_that_does_not_compile_is_refused_with_the_reason()
    {
        var problem = Assert.Single(Problems("matches", "\"[a-\""));
        Assert.Contains("does not compile", problem.Message, StringComparison.Ordinal);
        Assert.Contains(Problems("matches", $"\"{new string('a', 501)}\""), p => p.Path == "/value");
    }

    [Theory]
    [InlineData("equals", "[1]", "/value")]
    [InlineData("equals", "null", "/value")]
    [InlineData("contains", "3", "/value")]
    [InlineData("in", "[]", "/value")]
    [InlineData("in", "[\"a\", {\"b\": 1}]", "/value/1")]
    [InlineData("greaterThan", "\"5\"", "/value")]
    [InlineData("between", "[5, 1]", "/value")]
    [InlineData("between", "[1, \"2026-01-01\"]", "/value")]
    [InlineData("between", "[1, 2, 3]", "/value")]
    [InlineData("exists", "true", "/value")]
    [InlineData("before", "\"01/03/2026\"", "/value")]
    [InlineData("withinLast", "\"0d\"", "/value")]
    [InlineData("withinLast", "\"3651d\"", "/value")]
    [InlineData("withinLast", "\"87601h\"", "/value")]
    [InlineData("withinLast", "\"2w\"", "/value")]
    [InlineData("greater", "1", "/op")]
    [InlineData("greaterThan", null, "")]
    public void Wrong_operands_are_reported_at_the_value_or_operator(string op, string? value, string path)
    {
        var problem = Assert.Single(Problems(op, value));
        Assert.Equal(path, problem.Path);
    }

    [Fact]
    public void An_unknown_operator_lists_the_allowed_ones()
    {
        var problem = Assert.Single(Problems("greater", "1"));
        Assert.StartsWith("unknown operator 'greater'; use one of equals, notEquals, contains", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void In_accepts_a_thousand_values_and_refuses_more()
    {
        var thousand = "[" + string.Join(",", Enumerable.Range(0, 1000)) + "]";
        Assert.True(Matches("in", thousand, "999"));
        Assert.Single(Problems("in", "[" + string.Join(",", Enumerable.Range(0, 1001)) + "]"));
    }
}

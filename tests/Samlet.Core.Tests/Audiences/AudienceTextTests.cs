using Samlet.Audiences;

namespace Samlet.Core.Tests.Audiences;

/// <summary>The text form of audience conditions gives the same condition as the JSON it stands for, or problems at columns.</summary>
public sealed class AudienceTextTests
{
    // A structural rendering of a condition: comparisons and event aggregates by their canonical text / fingerprint.
    internal static string Shape(Condition condition) => condition switch
    {
        AllOf all => $"and({string.Join(", ", all.Conditions.Select(Shape))})",
        AnyOf any => $"or({string.Join(", ", any.Conditions.Select(Shape))})",
        NotCondition not => $"not({Shape(not.Condition)})",
        TraitCondition trait => $"trait {trait.Key} {trait.Comparison.CanonicalText}",
        ComputedTraitCondition computed => $"computed {computed.Key} {computed.Comparison.CanonicalText}",
        PerformedCondition performed => $"performed {performed.Events.CanonicalText} {performed.Bound.Kind} {performed.Bound.Count}",
        MemberOfCondition member => $"memberOf {member.AudienceKey}",
        HasIdentifierCondition has => $"has {has.IdentifierType}",
        _ => throw new ArgumentOutOfRangeException(nameof(condition)),
    };

    private static string ShapeOfJson(string conditionJson) => Shape(Build.Audience(AudienceText.Definition(conditionJson)).Condition);

    private static string ShapeOfText(string text)
    {
        var parsed = AudienceText.Parse(text);
        Assert.True(parsed.IsValid, text + "\n" + string.Join("\n", parsed.Problems));
        return ShapeOfJson(parsed.Json!);
    }

    private static TextProblem Problem(string text)
    {
        var parsed = AudienceText.Parse(text);
        Assert.False(parsed.IsValid, $"{text} was accepted as {parsed.Json}");
        return parsed.Problems[0];
    }

    [Theory]
    [InlineData("plan = \"pro\"", """{"trait": "plan", "op": "equals", "value": "pro"}""")]
    [InlineData("plan == \"pro\"", """{"trait": "plan", "op": "equals", "value": "pro"}""")]
    [InlineData("plan != \"pro\"", """{"trait": "plan", "op": "notEquals", "value": "pro"}""")]
    [InlineData("vip = true", """{"trait": "vip", "op": "equals", "value": true}""")]
    [InlineData("vip = FALSE", """{"trait": "vip", "op": "equals", "value": false}""")]
    [InlineData("age > 30", """{"trait": "age", "op": "greaterThan", "value": 30}""")]
    [InlineData("age >= 30.5", """{"trait": "age", "op": "greaterThanOrEqual", "value": 30.5}""")]
    [InlineData("age < -2", """{"trait": "age", "op": "lessThan", "value": -2}""")]
    [InlineData("age <= 1e2", """{"trait": "age", "op": "lessThanOrEqual", "value": 100}""")]
    [InlineData("country in (\"DK\",\"SE\", 3, true)", """{"trait": "country", "op": "in", "value": ["DK", "SE", 3, true]}""")]
    [InlineData("age between 18 and 30", """{"trait": "age", "op": "between", "value": [18, 30]}""")]
    [InlineData("signed_up_at between \"2026-01-01\" and \"2026-02-01\"", """{"trait": "signed_up_at", "op": "between", "value": ["2026-01-01", "2026-02-01"]}""")]
    [InlineData("name contains \"ann\"", """{"trait": "name", "op": "contains", "value": "ann"}""")]
    [InlineData("email starts with \"x\"", """{"trait": "email", "op": "startsWith", "value": "x"}""")]
    [InlineData("email matches \"^a.*@shop\\.dk$\"", """{"trait": "email", "op": "matches", "value": "^a.*@shop\\.dk$"}""")]
    [InlineData("email exists", """{"trait": "email", "op": "exists"}""")]
    [InlineData("signed_up_at within last 7d", """{"trait": "signed_up_at", "op": "withinLast", "value": "7d"}""")]
    [InlineData("signed_up_at within last 12h", """{"trait": "signed_up_at", "op": "withinLast", "value": "12h"}""")]
    [InlineData("signed_up_at before \"2026-01-01\"", """{"trait": "signed_up_at", "op": "before", "value": "2026-01-01"}""")]
    [InlineData("signed_up_at after \"2026-01-01T10:00Z\"", """{"trait": "signed_up_at", "op": "after", "value": "2026-01-01T10:00Z"}""")]
    [InlineData("\"first name\" = \"Ann \\\"Nan\\\" \\\\ Lee\"", """{"trait": "first name", "op": "equals", "value": "Ann \"Nan\" \\ Lee"}""")]
    [InlineData("\"has\" exists", """{"trait": "has", "op": "exists"}""")]
    [InlineData("address.city = \"Aarhus\"", """{"trait": "address.city", "op": "equals", "value": "Aarhus"}""")]
    public void A_trait_comparison_is_the_same_condition_as_its_json(string text, string json) =>
        Assert.Equal(ShapeOfJson(json), ShapeOfText(text));

    [Theory]
    [InlineData("computed orders_90d >= 2", """{"computed": "orders_90d", "op": "greaterThanOrEqual", "value": 2}""")]
    [InlineData("COMPUTED lifetime_spend between 100 and 200", """{"computed": "lifetime_spend", "op": "between", "value": [100, 200]}""")]
    [InlineData("computed last_page_path starts with \"/shop\"", """{"computed": "last_page_path", "op": "startsWith", "value": "/shop"}""")]
    [InlineData("computed favourite exists", """{"computed": "favourite", "op": "exists"}""")]
    public void A_computed_trait_comparison_is_the_same_condition_as_its_json(string text, string json) =>
        Assert.Equal(ShapeOfJson(json), ShapeOfText(text));

    [Theory]
    [InlineData("performed \"Order Completed\"", """{"performed": "Order Completed"}""")]
    [InlineData("performed \"Order Completed\"", """{"performed": "Order Completed", "atLeast": 1}""")]
    [InlineData("performed \"Order Completed\" >= 2 within 90d", """{"performed": "Order Completed", "atLeast": 2, "within": "90d"}""")]
    [InlineData("performed \"Order Completed\" within 90d >= 2", """{"performed": "Order Completed", "atLeast": 2, "within": "2160h"}""")]
    [InlineData("performed \"Order Completed\" > 1", """{"performed": "Order Completed", "atLeast": 2}""")]
    [InlineData("performed \"Order Completed\" = 0", """{"performed": "Order Completed", "exactly": 0}""")]
    [InlineData("performed \"Order Completed\" <= 1", """{"performed": "Order Completed", "atMost": 1}""")]
    [InlineData("performed \"Order Completed\" < 3 within 30d", """{"performed": "Order Completed", "atMost": 2, "within": "30d"}""")]
    [InlineData("performed signup", """{"performed": "signup"}""")]
    [InlineData("did not perform \"Order Completed\" within 30d", """{"notPerformed": "Order Completed", "within": "30d"}""")]
    [InlineData("DID NOT PERFORM \"Order Completed\"", """{"performed": "Order Completed", "atMost": 0}""")]
    [InlineData(
        "performed \"Order Completed\" where (properties.total > 50 and properties.currency = \"DKK\") >= 2 within 90d",
        """{"performed": "Order Completed", "where": [{"property": "properties.total", "op": "greaterThan", "value": 50}, {"property": "properties.currency", "op": "equals", "value": "DKK"}], "atLeast": 2, "within": "90d"}""")]
    [InlineData(
        "did not perform \"Product Viewed\" where (properties.category in (\"Running\", \"Trail\")) within 7d",
        """{"notPerformed": "Product Viewed", "where": [{"property": "properties.category", "op": "in", "value": ["Trail", "Running"]}], "within": "7d"}""")]
    public void A_behaviour_condition_is_the_same_condition_as_its_json(string text, string json) =>
        Assert.Equal(ShapeOfJson(json), ShapeOfText(text));

    [Theory]
    [InlineData("member of vip", """{"memberOf": "vip"}""")]
    [InlineData("Member Of vip", """{"memberOf": "vip"}""")]
    [InlineData("has email", """{"has": "email"}""")]
    [InlineData("has device_id", """{"has": "device_id"}""")]
    public void Membership_and_identifier_conditions_are_the_same_as_their_json(string text, string json) =>
        Assert.Equal(ShapeOfJson(json), ShapeOfText(text));

    [Theory]
    [InlineData("has email or has phone and vip = true",
        """{"or": [{"has": "email"}, {"and": [{"has": "phone"}, {"trait": "vip", "op": "equals", "value": true}]}]}""")]
    [InlineData("has email and has phone or vip = true",
        """{"or": [{"and": [{"has": "email"}, {"has": "phone"}]}, {"trait": "vip", "op": "equals", "value": true}]}""")]
    [InlineData("(has email or has phone) and vip = true",
        """{"and": [{"or": [{"has": "email"}, {"has": "phone"}]}, {"trait": "vip", "op": "equals", "value": true}]}""")]
    [InlineData("not has email and has phone",
        """{"and": [{"not": {"has": "email"}}, {"has": "phone"}]}""")]
    [InlineData("not (has email and has phone)",
        """{"not": {"and": [{"has": "email"}, {"has": "phone"}]}}""")]
    [InlineData("has a AND has b And has c OR has d",
        """{"or": [{"and": [{"has": "a"}, {"has": "b"}, {"has": "c"}]}, {"has": "d"}]}""")]
    [InlineData("not not ((has email))",
        """{"not": {"not": {"has": "email"}}}""")]
    [InlineData("age between 18 and 30 and has email",
        """{"and": [{"trait": "age", "op": "between", "value": [18, 30]}, {"has": "email"}]}""")]
    public void And_binds_tighter_than_or_and_not_tighter_than_both(string text, string json) =>
        Assert.Equal(ShapeOfJson(json), ShapeOfText(text));

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    [InlineData(false, true, false)]
    [InlineData(true, true, true)]
    [InlineData(false, false, true)]
    public void Evaluates_or_of_ands_as_written_without_parentheses(bool a, bool b, bool c)
    {
        var identifiers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (held, type) in new[] { (a, "a"), (b, "b"), (c, "c") })
        {
            if (held)
            {
                identifiers.Add(type);
            }
        }

        var facts = new ProfileFacts(_ => null, _ => null, (_, _) => 0, identifiers.Contains, _ => false);
        var condition = Build.Audience(AudienceText.Definition(AudienceText.Parse("has a or has b and has c").Json!)).Condition;
        var grouped = Build.Audience(AudienceText.Definition(AudienceText.Parse("(has a or has b) and has c").Json!)).Condition;

        var now = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(a || (b && c), AudienceEvaluator.Evaluate(condition, facts, now).IsMember);
        Assert.Equal((a || b) && c, AudienceEvaluator.Evaluate(grouped, facts, now).IsMember);
    }

    [Fact]
    public void Gives_compact_json_that_keeps_non_ascii_text_readable()
    {
        var parsed = AudienceText.Parse("city = \"Århus\" and performed \"Køb\" >= 2");
        Assert.Equal("""{"and":[{"trait":"city","op":"equals","value":"Århus"},{"performed":"Køb","atLeast":2}]}""", parsed.Json);
    }

    [Theory]
    [InlineData("plan equalz \"pro\"", 6, "unknown operator 'equalz' after the trait 'plan'")]
    [InlineData("plan = \"pro\" and frobnicate", 28, "missing an operator after the trait 'frobnicate'")]
    [InlineData("memberr of vip", 9, "unknown operator 'of' after the trait 'memberr'")]
    [InlineData("plan =", 7, "missing a value (a string in double quotes, a number, true or false) after = at the end")]
    [InlineData("plan = and has email", 8, "expected a value (a string in double quotes, a number, true or false) after =; got 'and'")]
    [InlineData("plan = \"pro", 8, "unterminated string")]
    [InlineData("plan = \"pro\\\"", 8, "unterminated string")]
    [InlineData("plan = \"pro\" \"x\"", 14, "expected and, or or the end; got \"x\"")]
    [InlineData("has email)", 10, "expected and, or or the end; got ')'")]
    [InlineData("(has email", 11, "missing ')' to close the '(' at column 1 at the end")]
    [InlineData("", 1, "missing a condition such as")]
    [InlineData("has email and", 14, "missing a condition such as")]
    [InlineData("and has email", 1, "expected a condition such as")]
    [InlineData("member vip", 8, "expected 'of' after member; got 'vip'")]
    [InlineData("did perform \"x\"", 5, "expected 'not' after did; got 'perform'")]
    [InlineData("age > 30 # comment", 10, "unexpected character '#'")]
    [InlineData("country in \"DK\"", 12, "expected '(' after in")]
    [InlineData("country in (\"DK\" \"SE\")", 18, "expected ')' to close the in list; got \"SE\"")]
    [InlineData("age between 18 30", 16, "expected 'and' between the two bounds of between; got '30'")]
    [InlineData("seen within 7d", 13, "expected 'last' after within; got '7d'")]
    [InlineData("seen within last 7", 18, "expected a duration such as 7d or 12h; got '7'")]
    [InlineData("plan = 7d", 8, "(a duration goes after within)")]
    [InlineData("performed \"x\" < 0", 15, "fewer than 0 events can never happen")]
    [InlineData("performed \"x\" > 1.5", 17, "a count is a whole number ≥ 0; got 1.5")]
    [InlineData("performed \"x\" >= many", 18, "expected a count (a whole number) after >=; got 'many'")]
    [InlineData("performed \"x\" where (properties.a = 1 or properties.b = 2)", 39, "a where list joins property conditions with and only")]
    [InlineData("performed \"x\" where properties.a = 1", 21, "expected '(' after where")]
    [InlineData("did not perform \"x\" >= 2", 21, "expected and, or or the end; got '>='")]
    [InlineData("age > 1e999", 7, "the number 1e999 is too large")]
    public void Refuses_a_grammar_error_at_its_column(string text, int column, string message)
    {
        var problem = Problem(text);
        Assert.Equal(column, problem.Column);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.Equal($"column {column}: {problem.Message}", problem.ToString());
    }

    [Theory]
    [InlineData("plan contains 5", 15, "contains needs a string; got 5")]
    [InlineData("seen within last 7x", 18, "withinLast needs a duration")]
    [InlineData("seen within last 4000d", 18, "withinLast needs a duration")]
    [InlineData("seen before \"yesterday\"", 13, "before needs an ISO-8601 date-time")]
    [InlineData("age between 30 and 18", 13, "between needs low ≤ high")]
    [InlineData("country in ()", 12, "in needs a non-empty array")]
    [InlineData("email matches \"(a)\\\\1\"", 15, "too expensive to evaluate")]
    [InlineData("has email and member of VIP", 25, "invalid memberOf \"VIP\"")]
    [InlineData("has email and computed Orders > 1", 24, "invalid computed \"Orders\"")]
    [InlineData("performed \"x\" >= 2.5", 18, "'atLeast' must be a whole number ≥ 0; got 2.5")]
    [InlineData("performed \"x\" within 0d", 22, "invalid within \"0d\"")]
    [InlineData("performed \"x\" where (properties..a = 1)", 22, "invalid property \"properties..a\"")]
    [InlineData("performed \"\"", 11, "invalid performed \"\"")]
    public void Places_a_problem_found_by_the_definition_parser_at_the_column_of_its_value(string text, int column, string message)
    {
        var problem = Problem(text);
        Assert.Equal(column, problem.Column);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lists_every_problem_the_definition_parser_finds_in_column_order()
    {
        var parsed = AudienceText.Parse("seen before \"soon\" and age between 9 and 1 and member of X");
        Assert.Equal([13, 36, 58], parsed.Problems.Select(p => p.Column));
    }

    [Fact]
    public void Places_a_workspace_problem_found_later_at_the_column_of_the_node_it_names()
    {
        var parsed = AudienceText.Parse("has email and (vip = true or member of ghosts)");
        var located = parsed.Locate(new DefinitionProblem("/condition/and/1/or/1/memberOf", "unknown audience 'ghosts'"));
        var whole = parsed.Locate(new DefinitionProblem("", "something about the whole definition"));
        Assert.Equal(new TextProblem(40, "unknown audience 'ghosts'"), located);
        Assert.Equal(1, whole.Column);
    }

    [Fact]
    public void Refuses_nesting_deeper_than_the_guard_without_overflowing_the_stack()
    {
        var deep = string.Concat(Enumerable.Repeat("not ", 100_000)) + "has email";
        var problem = Problem(deep);
        Assert.Equal((TextParser.MaxNesting * 4) + 1, problem.Column);
        Assert.Contains("nest deeper", problem.Message, StringComparison.Ordinal);
        Assert.Contains("nest deeper than 20 levels", Problem(string.Concat(Enumerable.Repeat("not ", 25)) + "has email").Message, StringComparison.Ordinal);
    }

    [Theory]
    // The lapsed buyers at the top of the Audiences section; its one-element or is written as the condition itself.
    [InlineData(
        """plan = "pro" and computed orders_90d >= 2 and performed "Order Completed" where (properties.total > 50) >= 2 within 90d and did not perform "Order Completed" within 30d and member of newsletter and has email and not (country in ("DK", "SE"))""",
        """{ "and": [ {"trait": "plan", "op": "equals", "value": "pro"}, {"computed": "orders_90d", "op": "greaterThanOrEqual", "value": 2}, {"performed": "Order Completed", "where": [{"property": "properties.total", "op": "greaterThan", "value": 50}], "atLeast": 2, "within": "90d"}, {"notPerformed": "Order Completed", "within": "30d"}, {"memberOf": "newsletter"}, {"has": "email"}, {"not": {"trait": "country", "op": "in", "value": ["DK", "SE"]}} ]}""")]
    [InlineData(
        """performed "Order Completed" >= 2 within 90d and did not perform "Order Completed" within 30d""",
        """{ "and": [ {"performed": "Order Completed", "atLeast": 2, "within": "90d"}, {"notPerformed": "Order Completed", "within": "30d"} ]}""")]
    [InlineData(
        """performed "Product Viewed" where (properties.category = "Running Shoes") >= 3 within 7d and did not perform "Order Completed" """,
        """{ "and": [ {"performed": "Product Viewed", "atLeast": 3, "within": "7d", "where": [{"property": "properties.category", "op": "equals", "value": "Running Shoes"}]}, {"notPerformed": "Order Completed"} ]}""")]
    [InlineData(
        """member of lapsed_repeat_buyers and (has email or has phone) and not unsubscribed = true""",
        """{ "and": [ {"memberOf": "lapsed_repeat_buyers"}, {"or": [ {"has": "email"}, {"has": "phone"} ]}, {"not": {"trait": "unsubscribed", "op": "equals", "value": true}} ]}""")]
    [InlineData(
        """computed lifetime_spend >= 1000 and last_seen_at within last 30d and country in ("DK", "SE", "NO", "FI", "IS") and not email matches "@example\.(com|org)$" """,
        """{ "and": [ {"computed": "lifetime_spend", "op": "greaterThanOrEqual", "value": 1000}, {"trait": "last_seen_at", "op": "withinLast", "value": "30d"}, {"trait": "country", "op": "in", "value": ["DK", "SE", "NO", "FI", "IS"]}, {"not": {"trait": "email", "op": "matches", "value": "@example\\.(com|org)$"}} ]}""")]
    public void The_worked_examples_of_the_docs_read_the_same_as_text(string text, string json) =>
        Assert.Equal(ShapeOfJson(json), ShapeOfText(text));
}

using Samlet.Audiences;
using Samlet.Events;

namespace Samlet.Core.Tests.Audiences;

public sealed class DefinitionParserTests
{
    private const string IssueAudience = """
        { "key": "lapsed_buyers", "name": "Lapsed repeat buyers", "description": "optional",
          "condition": { "and": [
            {"trait": "plan", "op": "equals", "value": "pro"},
            {"computed": "orders_90d", "op": "greaterThanOrEqual", "value": 2},
            {"performed": "Order Completed", "where": [{"property": "properties.total", "op": "greaterThan", "value": 50}], "atLeast": 2, "within": "90d"},
            {"notPerformed": "Order Completed", "within": "30d"},
            {"memberOf": "newsletter"},
            {"has": "email"},
            {"not": {"or": [ {"trait": "country", "op": "in", "value": ["DK", "SE"]} ]}}
          ]}}
        """;

    private static IReadOnlyList<DefinitionProblem> AudienceProblems(string json)
    {
        var parsed = DefinitionParser.ParseAudience(json);
        Assert.False(parsed.IsValid);
        Assert.NotEmpty(parsed.Problems);
        return parsed.Problems;
    }

    private static IReadOnlyList<DefinitionProblem> TraitProblems(string json)
    {
        var parsed = DefinitionParser.ParseComputedTrait(json);
        Assert.False(parsed.IsValid);
        return parsed.Problems;
    }

    private static string Condition(string condition) => $$"""{"key": "a", "condition": {{condition}} }""";

    [Fact]
    public void Parses_the_issue_computed_trait()
    {
        var trait = Build.Trait("""
            { "key": "orders_90d", "name": "Orders in the last 90 days", "aggregation": "count",
              "event": "Order Completed", "type": "track",
              "where": [ {"property": "properties.category", "op": "equals", "value": "Running"} ],
              "property": "properties.total", "window": "90d" }
            """);
        Assert.Equal("orders_90d", trait.Key);
        Assert.Equal("Orders in the last 90 days", trait.Name);
        Assert.Equal(Aggregation.Count, trait.Aggregate.Aggregation);
        Assert.Equal("properties.total", trait.Aggregate.Property);
        Assert.Equal(EventType.Track, trait.Aggregate.Filter.Type);
        Assert.Equal("Order Completed", trait.Aggregate.Filter.EventName);
        Assert.Equal(TimeSpan.FromDays(90), trait.Aggregate.Window);
        var where = Assert.Single(trait.Aggregate.Filter.Where);
        Assert.Equal("properties.category", where.Path);
        Assert.Equal(ComparisonOperator.Equals, where.Comparison.Operator);
        Assert.Equal("Running", where.Comparison.Text);
    }

    [Fact]
    public void A_computed_trait_defaults_its_name_to_the_key_its_type_to_track_with_an_event_and_to_any_without()
    {
        var named = Build.Trait("""{"key": "spend", "aggregation": "sum", "event": "Order Completed", "property": "properties.total"}""");
        Assert.Equal("spend", named.Name);
        Assert.Equal(EventType.Track, named.Aggregate.Filter.Type);
        Assert.Null(named.Aggregate.Window);

        var any = Build.Trait("""{"key": "events_7d", "aggregation": "count", "window": "168h"}""");
        Assert.Null(any.Aggregate.Filter.Type);
        Assert.Null(any.Aggregate.Filter.EventName);
        Assert.Equal(TimeSpan.FromDays(7), any.Aggregate.Window);

        var pages = Build.Trait("""{"key": "last_path", "aggregation": "last", "type": "page", "property": "context.page.path", "window": null}""");
        Assert.Equal(EventType.Page, pages.Aggregate.Filter.Type);
    }

    [Fact]
    public void Lists_every_problem_of_a_computed_trait_with_its_path()
    {
        var problems = TraitProblems("""
            { "key": "Orders", "name": "", "aggregation": "median", "type": "page", "event": "Order Completed",
              "where": [ {"property": "properties..x", "op": "greater", "value": 1}, {"property": "p", "op": "equals", "value": 1, "extra": 1} ],
              "window": "90 days", "color": "red" }
            """);
        Assert.Equal(
            ["/color", "/key", "/name", "/aggregation", "/event", "/where/0/property", "/where/0/op", "/where/1/extra", "/window"],
            problems.Select(p => p.Path));
        Assert.DoesNotContain(problems, p => p.Path == "" && p.Message.Contains("property", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path == "/aggregation" && p.Message.Contains("count, sum, min, max, average, first, last, mostFrequent, distinctValues, distinctCount", StringComparison.Ordinal));
    }

    [Fact]
    public void An_event_name_needs_the_track_type()
    {
        var problem = Assert.Single(TraitProblems("""{"key": "k", "aggregation": "count", "type": "page", "event": "Viewed"}"""));
        Assert.Equal("/event", problem.Path);
    }

    [Theory]
    [InlineData("sum")]
    [InlineData("min")]
    [InlineData("max")]
    [InlineData("average")]
    [InlineData("first")]
    [InlineData("last")]
    [InlineData("mostFrequent")]
    [InlineData("distinctValues")]
    [InlineData("distinctCount")]
    public void Every_aggregation_but_count_needs_a_property(string aggregation)
    {
        var problem = Assert.Single(TraitProblems($$"""{"key": "k", "aggregation": "{{aggregation}}"}"""));
        Assert.Equal("", problem.Path);
        Assert.StartsWith("missing 'property'", problem.Message, StringComparison.Ordinal);
        Assert.True(DefinitionParser.ParseComputedTrait($$"""{"key": "k", "aggregation": "{{aggregation}}", "property": "properties.x"}""").IsValid);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("orders_90d")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public void Accepts_keys_of_the_key_pattern(string key) =>
        Assert.True(DefinitionParser.ParseComputedTrait($$"""{"key": "{{key}}", "aggregation": "count"}""").IsValid);

    [Theory]
    [InlineData("")]
    [InlineData("1a")]
    [InlineData("_a")]
    [InlineData("Orders")]
    [InlineData("orders-90d")]
    [InlineData("a\\n")]
    [InlineData("a2345678901234567890123456789012345678901234567890123456789012345")]
    public void Refuses_keys_outside_the_key_pattern(string key) =>
        Assert.Equal("/key", Assert.Single(TraitProblems($$"""{"key": "{{key}}", "aggregation": "count"}""")).Path);

    [Fact]
    public void Invalid_json_is_one_problem_at_the_root()
    {
        var problem = Assert.Single(AudienceProblems("""{"key": "a", """));
        Assert.Equal("", problem.Path);
        Assert.StartsWith("not valid JSON", problem.Message, StringComparison.Ordinal);
        Assert.Equal("", Assert.Single(AudienceProblems("[1, 2]")).Path);
    }

    [Fact]
    public void Parses_the_issue_audience_into_the_condition_model()
    {
        var audience = Build.Audience(IssueAudience);
        Assert.Equal("lapsed_buyers", audience.Key);
        Assert.Equal("optional", audience.Description);
        var all = Assert.IsType<AllOf>(audience.Condition);
        Assert.Equal(7, all.Conditions.Count);
        Assert.Equal("plan", Assert.IsType<TraitCondition>(all.Conditions[0]).Key);
        var computed = Assert.IsType<ComputedTraitCondition>(all.Conditions[1]);
        Assert.Equal((ComparisonOperator.GreaterThanOrEqual, 2.0), (computed.Comparison.Operator, computed.Comparison.Number!.Value));

        var performed = Assert.IsType<PerformedCondition>(all.Conditions[2]);
        Assert.Equal(new CountBound(CountBoundKind.AtLeast, 2), performed.Bound);
        Assert.Equal(Aggregation.Count, performed.Events.Aggregation);
        Assert.Null(performed.Events.Property);
        Assert.Equal((EventType?)EventType.Track, performed.Events.Filter.Type);
        Assert.Equal("Order Completed", performed.Events.Filter.EventName);
        Assert.Equal(TimeSpan.FromDays(90), performed.Events.Window);
        Assert.Equal("properties.total", Assert.Single(performed.Events.Filter.Where).Path);

        var notPerformed = Assert.IsType<PerformedCondition>(all.Conditions[3]);
        Assert.Equal(new CountBound(CountBoundKind.AtMost, 0), notPerformed.Bound);
        Assert.Equal(TimeSpan.FromDays(30), notPerformed.Events.Window);
        Assert.Equal("newsletter", Assert.IsType<MemberOfCondition>(all.Conditions[4]).AudienceKey);
        Assert.Equal("email", Assert.IsType<HasIdentifierCondition>(all.Conditions[5]).IdentifierType);
        var or = Assert.IsType<AnyOf>(Assert.IsType<NotCondition>(all.Conditions[6]).Condition);
        var country = Assert.IsType<TraitCondition>(Assert.Single(or.Conditions));
        Assert.Equal(["DK", "SE"], country.Comparison.Texts!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_performed_condition_counts_at_least_once_by_default_and_takes_exactly_or_at_most()
    {
        Assert.Equal(new CountBound(CountBoundKind.AtLeast, 1),
            Assert.IsType<PerformedCondition>(Build.Audience(Condition("""{"performed": "Signed Up"}""")).Condition).Bound);
        Assert.Equal(new CountBound(CountBoundKind.Exactly, 3),
            Assert.IsType<PerformedCondition>(Build.Audience(Condition("""{"performed": "Signed Up", "exactly": 3}""")).Condition).Bound);
        Assert.Equal(new CountBound(CountBoundKind.AtMost, 0),
            Assert.IsType<PerformedCondition>(Build.Audience(Condition("""{"performed": "Signed Up", "atMost": 0}""")).Condition).Bound);
    }

    [Theory]
    [InlineData("""{"and": [{"has": "email"}, {"has": "phone"}, {"trait": "plan", "op": "greater", "value": 1}]}""", "/condition/and/2/op")]
    [InlineData("""{"and": []}""", "/condition/and")]
    [InlineData("""{"or": {"has": "email"}}""", "/condition/or")]
    [InlineData("""{"not": [{"has": "email"}]}""", "/condition/not")]
    [InlineData("""{}""", "/condition")]
    [InlineData("""{"has": "email", "memberOf": "vip"}""", "/condition")]
    [InlineData("""{"has": "email", "op": "equals"}""", "/condition/op")]
    [InlineData("""{"has": "E-mail"}""", "/condition/has")]
    [InlineData("""{"memberOf": "VIP"}""", "/condition/memberOf")]
    [InlineData("""{"computed": "orders 90d", "op": "exists"}""", "/condition/computed")]
    [InlineData("""{"trait": "", "op": "exists"}""", "/condition/trait")]
    [InlineData("""{"trait": "plan"}""", "/condition")]
    [InlineData("""{"trait": "plan", "op": "exists", "value": 1}""", "/condition/value")]
    [InlineData("""{"performed": "Order Completed", "atLeast": 2, "atMost": 5}""", "/condition/atMost")]
    [InlineData("""{"performed": "Order Completed", "atLeast": -1}""", "/condition/atLeast")]
    [InlineData("""{"performed": "Order Completed", "atLeast": 1.5}""", "/condition/atLeast")]
    [InlineData("""{"performed": "Order Completed", "within": "1y"}""", "/condition/within")]
    [InlineData("""{"performed": ""}""", "/condition/performed")]
    [InlineData("""{"notPerformed": "Order Completed", "atLeast": 1}""", "/condition/atLeast")]
    [InlineData("""{"performed": "Order Completed", "where": [{"property": "properties.total", "op": "between", "value": [9, 1]}]}""", "/condition/where/0/value")]
    [InlineData("""{"not": {"or": [{"has": "email"}, {"trait": "country", "op": "in", "value": ["DK", null]}]}}""", "/condition/not/or/1/value/1")]
    [InlineData("\"email\"", "/condition")]
    public void Reports_a_condition_problem_at_the_exact_path(string condition, string path)
    {
        var problem = Assert.Single(AudienceProblems(Condition(condition)));
        Assert.Equal(path, problem.Path);
    }

    [Fact]
    public void Lists_every_problem_in_a_condition_not_only_the_first()
    {
        var problems = AudienceProblems("""
            {"key": "a", "title": "x", "condition": {"and": [
              {"trait": "plan", "op": "greater", "value": 1},
              {"has": "Email"},
              {"or": [{"computed": "x", "op": "withinLast", "value": "2w"}]}
            ]}}
            """);
        Assert.Equal(["/title", "/condition/and/0/op", "/condition/and/1/has", "/condition/and/2/or/0/value"], problems.Select(p => p.Path));
    }

    [Fact]
    public void An_audience_needs_a_key_and_a_condition()
    {
        var problems = AudienceProblems("""{"name": "No key"}""");
        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Equal("", p.Path));
    }

    [Fact]
    public void Conditions_nest_at_most_twenty_levels()
    {
        static string Nested(int depth) => depth == 1 ? """{"has": "email"}""" : $$"""{"not": {{Nested(depth - 1)}}}""";
        Assert.True(DefinitionParser.ParseAudience(Condition(Nested(20))).IsValid);
        var problem = Assert.Single(AudienceProblems(Condition(Nested(21))));
        Assert.Equal("/condition" + string.Concat(Enumerable.Repeat("/not", 20)), problem.Path);
    }

    [Fact]
    public void A_condition_has_at_most_two_hundred_nodes_and_fifty_children_per_group()
    {
        static string Group(int n) => $$"""{"or": [{{string.Join(",", Enumerable.Repeat("""{"has": "email"}""", n))}}]}""";
        static string Groups(params int[] sizes) => $$"""{"and": [{{string.Join(",", sizes.Select(Group))}}]}""";

        // 1 and + 4 or + 195 leaves = 200 nodes.
        Assert.True(DefinitionParser.ParseAudience(Condition(Groups(49, 49, 49, 48))).IsValid);
        Assert.Equal("/condition", Assert.Single(AudienceProblems(Condition(Groups(49, 49, 49, 49)))).Path);
        Assert.Equal("/condition/or", Assert.Single(AudienceProblems(Condition(Group(51)))).Path);
    }

    [Fact]
    public void Unknown_properties_name_the_allowed_ones()
    {
        var problem = Assert.Single(AudienceProblems(Condition("""{"performed": "Order Completed", "times": 2}""")));
        Assert.Equal("/condition/times", problem.Path);
        Assert.Contains("allowed: performed, where, within, atLeast, atMost, exactly", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_pointers_escape_slashes_and_tildes_in_property_names()
    {
        var problem = Assert.Single(AudienceProblems("""{"key": "a", "a/b~c": 1, "condition": {"has": "email"}}"""));
        Assert.Equal("/a~1b~0c", problem.Path);
    }
}

using System.Text.Json;
using Samlet.Audiences;

namespace Samlet.Core.Tests.Audiences;

public sealed class AudienceEvaluatorTests
{
    private static readonly DateTimeOffset _now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static ProfileFacts Facts(
        Dictionary<string, string>? traits = null, Dictionary<string, string>? computed = null,
        Func<AggregateSpec, long>? performed = null, string[]? identifiers = null, string[]? audiences = null) => new(
        key => traits is not null && traits.TryGetValue(key, out var json) ? Build.Json(json) : null,
        key => computed is not null && computed.TryGetValue(key, out var json) ? Build.Json(json) : null,
        (spec, _) => performed?.Invoke(spec) ?? 0,
        type => identifiers?.Contains(type) ?? false,
        key => audiences?.Contains(key) ?? false);

    private static Verdict Evaluate(string condition, ProfileFacts facts) =>
        AudienceEvaluator.Evaluate(Build.Audience($$"""{"key": "x", "condition": {{condition}} }""").Condition, facts, _now);

    private static string Leaf(bool value) => value ? """{"has": "email"}""" : """{"has": "phone"}""";

    private static readonly ProfileFacts _emailOnly = Facts(identifiers: ["email"]);

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void And_or_and_not_follow_their_truth_tables(bool p, bool q)
    {
        Assert.Equal(p && q, Evaluate($$"""{"and": [{{Leaf(p)}}, {{Leaf(q)}}]}""", _emailOnly).IsMember);
        Assert.Equal(p || q, Evaluate($$"""{"or": [{{Leaf(p)}}, {{Leaf(q)}}]}""", _emailOnly).IsMember);
        Assert.Equal(!p, Evaluate($$"""{"not": {{Leaf(p)}}}""", _emailOnly).IsMember);
        Assert.Equal(!(p && q), Evaluate($$$"""{"not": {"and": [{{{Leaf(p)}}}, {{{Leaf(q)}}}]}}""", _emailOnly).IsMember);
        Assert.Equal(p, Evaluate($$"""{"and": [{{Leaf(p)}}]}""", _emailOnly).IsMember);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(5, true)]
    public void Performed_compares_the_count_of_its_aggregate_with_its_bound(long count, bool expected)
    {
        AggregateSpec? asked = null;
        var facts = Facts(performed: spec => { asked = spec; return count; });
        Assert.Equal(expected, Evaluate("""{"performed": "Order Completed", "atLeast": 2, "within": "90d"}""", facts).IsMember);
        Assert.Equal("Order Completed", asked!.Filter.EventName);
        Assert.Equal(count == 0, Evaluate("""{"notPerformed": "Order Completed", "within": "30d"}""", facts).IsMember);
        Assert.Equal(count == 2, Evaluate("""{"performed": "Order Completed", "exactly": 2}""", facts).IsMember);
        Assert.Equal(count <= 1, Evaluate("""{"performed": "Order Completed", "atMost": 1}""", facts).IsMember);
    }

    [Fact]
    public void Reads_traits_computed_traits_identifiers_and_memberships()
    {
        var facts = Facts(
            traits: new() { ["plan"] = "\"pro\"", ["country"] = "\"NO\"" },
            computed: new() { ["orders_90d"] = "2" },
            identifiers: ["email"], audiences: ["newsletter"]);
        Assert.True(Evaluate("""
            {"and": [{"trait": "plan", "op": "equals", "value": "pro"},
                     {"computed": "orders_90d", "op": "greaterThanOrEqual", "value": 2},
                     {"memberOf": "newsletter"}, {"has": "email"},
                     {"not": {"trait": "country", "op": "in", "value": ["DK", "SE"]}}]}
            """, facts).IsMember);
        Assert.False(Evaluate("""{"trait": "orders_90d", "op": "exists"}""", facts).IsMember);
        Assert.False(Evaluate("""{"computed": "plan", "op": "exists"}""", facts).IsMember);
        Assert.False(Evaluate("""{"memberOf": "vip"}""", facts).IsMember);
        Assert.True(Evaluate("""{"not": {"trait": "missing", "op": "equals", "value": "x"}}""", facts).IsMember);
    }

    [Fact]
    public void RecheckAt_is_the_earliest_change_of_the_withinLast_comparisons_evaluated()
    {
        var facts = Facts(
            traits: new() { ["last_seen"] = "\"2026-03-09T12:00:00Z\"", ["trial_ends"] = "\"2026-03-12T00:00:00Z\"" },
            computed: new() { ["last_order"] = "\"2026-03-05T00:00:00Z\"" });
        var verdict = Evaluate("""
            {"and": [{"trait": "last_seen", "op": "withinLast", "value": "7d"},
                     {"computed": "last_order", "op": "withinLast", "value": "7d"},
                     {"performed": "Order Completed", "atMost": 0, "within": "1d"}]}
            """, facts);
        Assert.True(verdict.IsMember);
        Assert.Equal(new DateTimeOffset(2026, 3, 12, 0, 0, 0, TimeSpan.Zero).AddTicks(1), verdict.RecheckAt);

        var future = Evaluate("""{"not": {"trait": "trial_ends", "op": "withinLast", "value": "30d"}}""", facts);
        Assert.True(future.IsMember);
        Assert.Equal(new DateTimeOffset(2026, 3, 12, 0, 0, 0, TimeSpan.Zero), future.RecheckAt);

        Assert.Null(Evaluate("""{"performed": "Order Completed", "within": "1d"}""", facts).RecheckAt);
        Assert.Null(Evaluate("""{"trait": "last_seen", "op": "after", "value": "2026-01-01"}""", facts).RecheckAt);
    }

    [Fact]
    public void A_verdict_rechecked_at_RecheckAt_gives_the_other_answer()
    {
        var facts = Facts(traits: new() { ["last_seen"] = "\"2026-03-09T12:00:00Z\"" });
        var condition = Build.Audience("""{"key": "x", "condition": {"trait": "last_seen", "op": "withinLast", "value": "24h"}}""").Condition;
        var first = AudienceEvaluator.Evaluate(condition, facts, _now);
        var next = AudienceEvaluator.Evaluate(condition, facts, first.RecheckAt!.Value);
        var justBefore = AudienceEvaluator.Evaluate(condition, facts, first.RecheckAt.Value.AddTicks(-1));
        Assert.Equal((true, false, true), (first.IsMember, next.IsMember, justBefore.IsMember));
        Assert.Null(next.RecheckAt);
    }

    [Fact]
    public void Json_null_traits_count_as_missing()
    {
        var facts = Facts(traits: new() { ["plan"] = "null" });
        Assert.False(Evaluate("""{"trait": "plan", "op": "exists"}""", facts).IsMember);
        Assert.False(Evaluate("""{"trait": "plan", "op": "notEquals", "value": "pro"}""", facts).IsMember);
        Assert.Equal(JsonValueKind.Null, facts.Trait("plan")!.Value.ValueKind);
    }
}

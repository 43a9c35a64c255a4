using FsCheck;
using FsCheck.Fluent;
using Samlet.Audiences;

namespace Samlet.Core.Tests.Audiences;

public sealed class AudiencePropertyTests
{
    private static readonly DateTimeOffset _now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] _leaves =
    [
        """{"has": "email"}""",
        """{"trait": "plan", "op": "equals", "value": "pro"}""",
        """{"trait": "plan", "op": "in", "value": ["pro", "team"]}""",
        """{"computed": "n", "op": "between", "value": [2, 4]}""",
        """{"trait": "seen", "op": "withinLast", "value": "2d"}""",
        """{"memberOf": "vip"}""",
        """{"performed": "Order Completed", "atLeast": 2}""",
    ];

    private static Gen<string> Conditions(int depth) => depth == 0
        ? Gen.Elements(_leaves)
        : Gen.OneOf(
            Gen.Elements(_leaves),
            Conditions(depth - 1).Select(c => $$"""{"not": {{c}}}"""),
            Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Conditions(depth - 1), n))
                .SelectMany(cs => Gen.Elements("and", "or").Select(kind => $$"""{"{{kind}}": [{{string.Join(",", cs)}}]}""")));

    private static Gen<ProfileFacts> Facts() =>
        from email in Gen.Elements(true, false)
        from plan in Gen.Elements("\"pro\"", "\"team\"", "\"free\"", "null", "3")
        from n in Gen.Choose(0, 6)
        from seenHoursAgo in Gen.Choose(-24, 96)
        from vip in Gen.Elements(true, false)
        from orders in Gen.Choose(0, 3)
        select new ProfileFacts(
            key => key switch
            {
                "plan" => Build.Json(plan),
                "seen" => Build.Json($"\"{_now.AddHours(-seenHoursAgo):O}\""),
                _ => null,
            },
            key => key == "n" ? Build.Json(n.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null,
            (_, _) => orders,
            type => email && type == "email",
            key => vip && key == "vip");

    private static Condition Parse(string condition) =>
        Build.Audience($$"""{"key": "x", "condition": {{condition}} }""").Condition;

    [Fact]
    public void Double_negation_gives_the_same_verdict() =>
        Prop.ForAll(Conditions(3).ToArbitrary(), Facts().ToArbitrary(), (condition, facts) =>
        {
            var plain = AudienceEvaluator.Evaluate(Parse(condition), facts, _now);
            var doubled = AudienceEvaluator.Evaluate(Parse($$$"""{"not": {"not": {{{condition}}}}}"""), facts, _now);
            return plain == doubled;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Not_flips_membership_and_keeps_the_recheck_time() =>
        Prop.ForAll(Conditions(3).ToArbitrary(), Facts().ToArbitrary(), (condition, facts) =>
        {
            var plain = AudienceEvaluator.Evaluate(Parse(condition), facts, _now);
            var negated = AudienceEvaluator.Evaluate(Parse($$"""{"not": {{condition}}}"""), facts, _now);
            return negated.IsMember == !plain.IsMember && negated.RecheckAt == plain.RecheckAt;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Nothing_changes_before_RecheckAt_and_the_verdict_holds_there_at_the_latest() =>
        Prop.ForAll(Conditions(3).ToArbitrary(), Facts().ToArbitrary(), Gen.Choose(1, 200).ToArbitrary(), (condition, facts, hours) =>
        {
            var parsed = Parse(condition);
            var verdict = AudienceEvaluator.Evaluate(parsed, facts, _now);
            var later = _now.AddHours(hours);
            return verdict.RecheckAt is { } at && at <= later
                || AudienceEvaluator.Evaluate(parsed, facts, later).IsMember == verdict.IsMember;
        }).QuickCheckThrowOnFailure();

    private static readonly (string Name, string Value)[] _traitProperties =
    [
        ("key", "\"orders_90d\""),
        ("aggregation", "\"sum\""),
        ("event", "\"Order Completed\""),
        ("property", "\"properties.total\""),
        ("where", """[{"value": 50, "property": "properties.total", "op": "greaterThan"}, {"op": "in", "value": ["DK", "SE"], "property": "properties.country"}]"""),
        ("window", "\"90d\""),
        ("name", "\"Spend\""),
    ];

    [Fact]
    public void The_fingerprint_does_not_depend_on_the_order_of_json_properties()
    {
        var reference = Build.Trait("{" + string.Join(",", _traitProperties.Select(p => $"\"{p.Name}\": {p.Value}")) + "}").Aggregate.Fingerprint;
        var orders = Gen.ArrayOf(Gen.Choose(0, 1000), _traitProperties.Length);
        Prop.ForAll(orders.ToArbitrary(), Gen.Elements("", " ", "\n  ").ToArbitrary(), (keys, space) =>
        {
            var shuffled = _traitProperties.Zip(keys).OrderBy(p => p.Second).Select(p => $"{space}\"{p.First.Name}\":{space}{p.First.Value}");
            return Build.Trait("{" + string.Join(",", shuffled) + "}").Aggregate.Fingerprint == reference;
        }).QuickCheckThrowOnFailure();
    }
}

using Samlet.Audiences;

namespace Samlet.Core.Tests.Audiences;

public sealed class AudienceGraphTests
{
    private static AudienceDefinition A(string key, string condition) => Build.Audience($$"""{"key": "{{key}}", "condition": {{condition}} }""");

    [Fact]
    public void Reports_unknown_audiences_and_computed_traits_at_their_nodes()
    {
        var graph = AudienceGraph.Build(
            [A("a", """{"and": [{"has": "email"}, {"memberOf": "ghost"}, {"not": {"computed": "ltv", "op": "exists"}}]}"""),
             A("b", """{"computed": "orders_90d", "op": "greaterThan", "value": 1}""")],
            ["orders_90d"]);
        Assert.Equal(
            [new AudienceProblem("a", "/condition/and/1/memberOf", "unknown audience 'ghost'; memberOf needs the key of an audience of this workspace"),
             new AudienceProblem("a", "/condition/and/2/not/computed", "unknown computed trait 'ltv'; define it first")],
            graph.Problems);
    }

    [Fact]
    public void Reports_a_cycle_for_every_audience_on_it_at_its_memberOf_node()
    {
        var graph = AudienceGraph.Build(
            [A("a", """{"and": [{"has": "email"}, {"memberOf": "b"}]}"""),
             A("b", """{"or": [{"memberOf": "c"}, {"has": "phone"}]}"""),
             A("c", """{"not": {"memberOf": "a"}}"""),
             A("d", """{"memberOf": "a"}""")],
            []);
        Assert.Equal(
            [new AudienceProblem("a", "/condition/and/1/memberOf", "audience cycle: a → b → c → a"),
             new AudienceProblem("b", "/condition/or/0/memberOf", "audience cycle: b → c → a → b"),
             new AudienceProblem("c", "/condition/not/memberOf", "audience cycle: c → a → b → c")],
            graph.Problems);
    }

    [Fact]
    public void A_candidate_that_closes_a_cycle_gets_the_problem()
    {
        var stored = new[] { A("a", """{"memberOf": "b"}"""), A("b", """{"has": "email"}""") };
        Assert.Empty(AudienceGraph.Build(stored, []).Problems);
        var graph = AudienceGraph.Build(stored, [], A("b", """{"and": [{"has": "email"}, {"memberOf": "a"}]}"""));
        Assert.Equal([new DefinitionProblem("/condition/and/1/memberOf", "audience cycle: b → a → b")], graph.ProblemsOf("b"));
        Assert.Equal("audience cycle: a → b → a", Assert.Single(graph.ProblemsOf("a")).Message);
    }

    [Fact]
    public void An_audience_that_is_a_member_of_itself_is_a_cycle()
    {
        var graph = AudienceGraph.Build([A("a", """{"or": [{"has": "email"}, {"memberOf": "a"}]}""")], []);
        Assert.Equal([new AudienceProblem("a", "/condition/or/1/memberOf", "audience cycle: a → a")], graph.Problems);
    }

    [Fact]
    public void Orders_audiences_after_the_audiences_they_are_members_of()
    {
        var graph = AudienceGraph.Build(
            [A("top", """{"and": [{"memberOf": "mid"}, {"memberOf": "base"}]}"""),
             A("mid", """{"memberOf": "base"}"""),
             A("base", """{"has": "email"}"""),
             A("alone", """{"has": "phone"}""")],
            []);
        Assert.Empty(graph.Problems);
        var order = graph.Order.Select(a => a.Key).ToList();
        Assert.Equal(4, order.Count);
        Assert.True(order.IndexOf("base") < order.IndexOf("mid"));
        Assert.True(order.IndexOf("mid") < order.IndexOf("top"));
    }

    [Fact]
    public void Lists_each_audiences_dependencies()
    {
        var graph = AudienceGraph.Build(
            [A("lapsed", """
                {"and": [
                  {"trait": "plan", "op": "equals", "value": "pro"},
                  {"computed": "orders_90d", "op": "greaterThanOrEqual", "value": 2},
                  {"performed": "Order Completed", "atLeast": 2, "within": "90d"},
                  {"notPerformed": "Order Completed", "within": "30d"},
                  {"performed": "Order Completed", "within": "2160h", "atMost": 9},
                  {"memberOf": "reachable"},
                  {"not": {"has": "email"}}]}
                """),
             A("reachable", """{"or": [{"has": "email"}, {"has": "phone"}, {"trait": "plan", "op": "withinLast", "value": "7d"}]}"""),
             A("static", """{"and": [{"performed": "Signed Up"}, {"trait": "signed_up_at", "op": "after", "value": "2026-01-01"}]}""")],
            ["orders_90d"]);
        var lapsed = graph.Dependencies["lapsed"];
        Assert.Equal(["plan"], lapsed.TraitKeys);
        Assert.Equal(["orders_90d"], lapsed.ComputedKeys);
        Assert.Equal([TimeSpan.FromDays(90), TimeSpan.FromDays(30)], lapsed.Performed.Select(p => p.Window!.Value));
        Assert.Equal(["reachable"], lapsed.MemberOf);
        Assert.Equal(["email"], lapsed.IdentifierTypes);
        Assert.True(lapsed.IsTimeDependent);
        Assert.True(graph.Dependencies["reachable"].IsTimeDependent);
        Assert.Equal(["email", "phone"], graph.Dependencies["reachable"].IdentifierTypes.Order(StringComparer.Ordinal));
        Assert.False(graph.Dependencies["static"].IsTimeDependent);
    }
}

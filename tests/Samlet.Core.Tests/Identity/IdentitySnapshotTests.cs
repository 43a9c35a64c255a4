using System.Collections.Immutable;
using Samlet.Events;
using Samlet.Identity;
using static Samlet.Core.Tests.Identity.IdentityScenario;

namespace Samlet.Core.Tests.Identity;

public sealed class IdentitySnapshotTests
{
    [Fact]
    public void Decides_the_same_way_twice_without_changing_the_snapshot_until_applied()
    {
        var shop = new IdentityScenario();
        shop.Send(Event("identify", 0, """ "anonymousId":"a1","userId":"u1" """));
        shop.Send(Event("page", 1, """ "anonymousId":"a2" """));
        var before = shop.Snapshot;
        var resolver = new IdentityResolver(IdentityRuleSet.Default);
        var ev = new EventIdentifiers("m9", EventType.Track, new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero),
            [new Identifier(IdentifierTypes.UserId, "u1"), new Identifier(IdentifierTypes.AnonymousId, "a2")]);

        var once = resolver.Resolve(before, ev, () => "prf_x");
        var twice = resolver.Resolve(before, ev, () => "prf_x");

        Assert.Equal(once.Explain(), twice.Explain());
        Assert.Equal(2, before.ProfileCount);
        Assert.Equal("prf_0002", before.OwnerOf(new Identifier(IdentifierTypes.AnonymousId, "a2")));

        before.Apply(once);
        Assert.Equal(1, before.ProfileCount);
        Assert.Equal("prf_0001", before.OwnerOf(new Identifier(IdentifierTypes.AnonymousId, "a2")));
        var again = resolver.Resolve(before, ev, () => "prf_x");
        Assert.Equal(IdentityDecisionKind.Match, again.Kind);
    }

    [Fact]
    public void Refuses_to_apply_a_decision_made_against_another_snapshot()
    {
        var resolver = new IdentityResolver(IdentityRuleSet.Default);
        var ev = new EventIdentifiers("m1", EventType.Page, DateTimeOffset.UnixEpoch, [new Identifier(IdentifierTypes.AnonymousId, "a1")]);
        var create = resolver.Resolve(new IdentitySnapshot(), ev, () => "prf_1");
        var once = new IdentitySnapshot();
        once.Apply(create);

        var error = Assert.Throws<InvalidOperationException>(() => once.Apply(create));
        Assert.Equal("Cannot create profile prf_1: it exists.", error.Message);
        var taken = resolver.Resolve(new IdentitySnapshot(), ev, () => "prf_2");
        Assert.Equal("Cannot add anonymous_id:a1: profile prf_1 holds it already.", Assert.Throws<InvalidOperationException>(() => once.Apply(taken)).Message);
        Assert.Equal(1, once.ProfileCount); // a refused decision changes nothing
        Assert.Null(once.Find("prf_2"));
    }

    [Fact]
    public void Refuses_a_snapshot_in_which_two_profiles_hold_one_identifier()
    {
        var at = DateTimeOffset.UnixEpoch;
        var shared = ImmutableArray.Create(new HeldIdentifier(new Identifier(IdentifierTypes.Email, "jane@shop.dk"), at));
        var error = Assert.Throws<ArgumentException>(() => IdentitySnapshot.From([new("p1", at, shared), new("p2", at, shared)]));
        Assert.StartsWith("email:jane@shop.dk is held by both p1 and p2.", error.Message);
    }
}

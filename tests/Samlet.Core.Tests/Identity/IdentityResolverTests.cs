using Samlet.Identity;
using static Samlet.Core.Tests.Identity.IdentityScenario;

namespace Samlet.Core.Tests.Identity;

public sealed class IdentityResolverTests
{
    private const int Day = 24 * 60;

    [Fact]
    public void Links_anonymous_browsing_to_the_user_who_signs_up()
    {
        var shop = new IdentityScenario();
        var first = shop.Send(Event("page", 0, """ "anonymousId":"a1","name":"Home" """));
        Assert.Equal(IdentityDecisionKind.Create, first.Kind);
        Assert.Equal("prf_0001", first.ProfileId);

        Assert.Equal(IdentityDecisionKind.Match, shop.Send(Event("track", 1, """ "anonymousId":"a1","event":"Product Viewed" """)).Kind);

        var signUp = shop.Send(Event("identify", 5, """ "anonymousId":"a1","userId":"u1","traits":{"email":"Jane@Shop.dk"} """));
        Assert.Equal(IdentityDecisionKind.Attach, signUp.Kind);
        Assert.Equal("prf_0001", signUp.ProfileId);
        Assert.Equal(new Identifier(IdentifierTypes.AnonymousId, "a1"), signUp.MatchedBy);
        Assert.Equal(["anonymous_id:a1", "user_id:u1", "email:jane@shop.dk"], shop.IdentifiersOf("prf_0001"));
        Assert.Equal(
            "Event m5 (identify at 2026-03-01T09:05:00Z) matched profile prf_0001 by anonymous_id:a1 and added user_id:u1, email:jane@shop.dk.",
            signUp.Explain());

        // The backend's order carries only the userId and still finds the person.
        Assert.Equal("prf_0001", shop.Send(Event("track", 6, """ "userId":"u1","event":"Order Completed" """)).ProfileId);
    }

    [Fact]
    public void Merges_the_profile_of_a_second_device_into_the_older_one_when_the_user_logs_in()
    {
        var shop = new IdentityScenario();
        shop.Send(Event("identify", 0, """ "anonymousId":"laptop","userId":"u1" """));
        shop.Send(Event("screen", 2 * Day, """ "anonymousId":"phone","name":"Home","context":{"device":{"id":"IDFV-1"}} """));
        Assert.Equal("prf_0002", shop.ProfileOf("anonymous_id:phone"));

        var login = shop.Send(Event("identify", 2 * Day + 3, """ "anonymousId":"phone","userId":"u1","context":{"device":{"id":"IDFV-1"}} """));

        Assert.Equal(IdentityDecisionKind.Merge, login.Kind);
        Assert.Equal("prf_0001", login.ProfileId);
        var merged = Assert.Single(login.Merged);
        Assert.Equal(new ProfileLink("prf_0002", new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero), new Identifier("device_id", "IDFV-1")), merged);
        Assert.Null(shop.Snapshot.Find("prf_0002"));
        Assert.Equal("prf_0001", shop.ProfileOf("anonymous_id:phone"));
        Assert.Equal("prf_0001", shop.ProfileOf("device_id:IDFV-1"));
        Assert.Equal(
            "Event m2883 (identify at 2026-03-03T09:03:00Z) linked 2 profiles: prf_0001 by user_id:u1, prf_0002 by device_id:IDFV-1. "
            + "Merged prf_0002 into prf_0001, the oldest (created 2026-03-01T09:00:00Z).",
            login.Explain());
    }

    [Fact]
    public void Keeps_two_people_on_a_shared_family_computer_apart_and_says_why()
    {
        var home = new IdentityScenario();
        home.Send(Event("identify", 0, """ "anonymousId":"family-pc","userId":"anna" """));

        var brother = home.Send(Event("identify", 60, """ "anonymousId":"family-pc","userId":"bo" """));

        Assert.Equal(IdentityDecisionKind.Create, brother.Kind);
        Assert.Equal("prf_0002", brother.ProfileId);
        Assert.Equal(["user_id:bo"], home.IdentifiersOf("prf_0002"));
        var leftOut = Assert.Single(brother.LeftOut);
        Assert.Equal(LeftOutReason.MergeRefused, leftOut.Reason);
        Assert.Equal("prf_0001", leftOut.HeldBy);
        Assert.Equal((IdentifierTypes.UserId, 2, 1), (leftOut.LimitType, leftOut.Count, leftOut.Limit));
        Assert.Equal(
            "anonymous_id:family-pc belongs to profile prf_0001; linking it would merge profiles that together hold 2 user_id values (limit 1), so it was left out and no merge happened.",
            leftOut.Describe());

        Assert.Equal(
            "Event m60 (identify at 2026-03-01T10:00:00Z) matched no profile; created profile prf_0002 with user_id:bo. Left out: " + leftOut.Describe(),
            brother.Explain());

        // Logged-out browsing on the shared computer stays with the profile that first held the cookie.
        Assert.Equal("prf_0001", home.Send(Event("page", 90, """ "anonymousId":"family-pc" """)).ProfileId);
        Assert.Equal("prf_0002", home.Send(Event("track", 91, """ "anonymousId":"family-pc","userId":"bo","event":"Played" """)).ProfileId);
    }

    [Fact]
    public void Never_merges_strangers_who_typed_a_blocked_email()
    {
        var shop = new IdentityScenario();
        shop.Send(Event("identify", 0, """ "userId":"u1","traits":{"email":"test@test.com"} """));
        var second = shop.Send(Event("identify", 1, """ "anonymousId":"a2","traits":{"email":"TEST@test.com"} """));

        Assert.Equal(IdentityDecisionKind.Create, second.Kind);
        Assert.Equal(2, shop.Snapshot.ProfileCount);
        var blocked = Assert.Single(second.LeftOut);
        Assert.Equal(LeftOutReason.Blocked, blocked.Reason);
        Assert.Equal("email:test@test.com is blocked by the rules (listed value 'test@test.com').", blocked.Describe());
    }

    [Fact]
    public void Gives_an_event_with_only_placeholder_ids_no_profile()
    {
        var shop = new IdentityScenario();
        var placeholder = shop.Send(Event("track", 0, """ "userId":"undefined","anonymousId":"null","event":"Clicked" """));
        Assert.Equal(IdentityDecisionKind.NoProfile, placeholder.Kind);
        Assert.Null(placeholder.ProfileId);
        Assert.Equal([LeftOutReason.Blocked, LeftOutReason.Blocked], placeholder.LeftOut.Select(l => l.Reason));
        Assert.Equal(0, shop.Snapshot.ProfileCount);

        var halfKnown = shop.Send(Event("track", 1, """ "userId":"undefined","anonymousId":"a1","event":"Clicked" """));
        Assert.Equal(["anonymous_id:a1"], shop.IdentifiersOf(halfKnown.ProfileId!));
    }

    [Fact]
    public void Leaves_out_a_sixth_email_and_keeps_the_event_on_its_profile()
    {
        var shop = new IdentityScenario();
        for (var i = 1; i <= 6; i++)
        {
            var decision = shop.Send(Event("identify", i, $$""" "userId":"u1","traits":{"email":"jane{{i}}@shop.dk"} """));
            Assert.Equal("prf_0001", decision.ProfileId);
        }

        Assert.Equal(5, shop.IdentifiersOf("prf_0001").Count(i => i.StartsWith("email:", StringComparison.Ordinal)));
        Assert.Null(shop.ProfileOf("email:jane6@shop.dk"));
        var sixth = shop.Send(Event("identify", 7, """ "userId":"u1","traits":{"email":"jane6@shop.dk"} """));
        Assert.Equal(IdentityDecisionKind.Match, sixth.Kind);
        Assert.Equal(
            "email:jane6@shop.dk was not added: the profile would hold 6 email values (limit 5).",
            Assert.Single(sixth.LeftOut).Describe());
    }

    [Fact]
    public void Leaves_out_the_less_important_identifier_when_a_new_email_meets_a_profile_whose_emails_are_full()
    {
        var shop = new IdentityScenario();
        for (var i = 1; i <= 5; i++)
        {
            shop.Send(Event("identify", i, $$""" "anonymousId":"x","traits":{"email":"jane{{i}}@shop.dk"} """));
        }

        // The e-mail outranks the anonymous id: it is placed first, so pulling in the full profile is what gets refused.
        var decision = shop.Send(Event("identify", 10, """ "anonymousId":"x","traits":{"email":"someone.else@shop.dk"} """));

        Assert.Equal(IdentityDecisionKind.Create, decision.Kind);
        Assert.Equal(["email:someone.else@shop.dk"], shop.IdentifiersOf(decision.ProfileId!));
        var leftOut = Assert.Single(decision.LeftOut);
        Assert.Equal((LeftOutReason.MergeRefused, "anonymous_id:x", "prf_0001"), (leftOut.Reason, leftOut.Identifier.ToString(), leftOut.HeldBy));
    }

    [Fact]
    public void Counts_a_windowed_limit_only_over_values_added_within_the_window_before_the_event()
    {
        var shop = new IdentityScenario(IdentityRuleSet.Build(new IdentityRules
        {
            Types = [new IdentifierTypeRule { Type = IdentifierTypes.Email, Priority = 2, Limit = 2, Window = TimeSpan.FromDays(7) }],
        }));
        shop.Send(Event("identify", 0, """ "userId":"u1","traits":{"email":"one@shop.dk"} """));
        shop.Send(Event("identify", 1 * Day, """ "userId":"u1","traits":{"email":"two@shop.dk"} """));

        var third = shop.Send(Event("identify", 2 * Day, """ "userId":"u1","traits":{"email":"three@shop.dk"} """));
        Assert.Equal(
            "email:three@shop.dk was not added: the profile would hold 3 email values added within 7 days (limit 2 per 7 days).",
            Assert.Single(third.LeftOut).Describe());

        // Eight days later the first two are outside the window: a new address fits again.
        var later = shop.Send(Event("identify", 8 * Day + 1, """ "userId":"u1","traits":{"email":"three@shop.dk"} """));
        Assert.Equal(IdentityDecisionKind.Attach, later.Kind);
        Assert.Equal(["user_id:u1", "email:one@shop.dk", "email:two@shop.dk", "email:three@shop.dk"], shop.IdentifiersOf("prf_0001"));
    }

    [Fact]
    public void Merges_into_the_oldest_profile_whichever_identifier_found_it()
    {
        var shop = new IdentityScenario();
        shop.Send(Event("page", 0, """ "anonymousId":"old-cookie" """));
        shop.Send(Event("identify", 10, """ "anonymousId":"new-cookie","userId":"u1" """));

        var link = shop.Send(Event("track", 20, """ "userId":"u1","anonymousId":"old-cookie","event":"Signed In" """));

        Assert.Equal(IdentityDecisionKind.Merge, link.Kind);
        Assert.Equal("prf_0001", link.ProfileId);
        Assert.Equal(new Identifier(IdentifierTypes.AnonymousId, "old-cookie"), link.MatchedBy);
        Assert.Equal("prf_0002", Assert.Single(link.Merged).ProfileId);
        Assert.Equal(["anonymous_id:old-cookie", "user_id:u1", "anonymous_id:new-cookie"], shop.IdentifiersOf("prf_0001"));
    }

    [Fact]
    public void Breaks_a_tie_in_creation_time_by_the_smallest_profile_id()
    {
        var at = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        ProfileIdentity Profile(string id, Identifier identifier) => new(id, at, [new HeldIdentifier(identifier, at)]);
        var shop = new IdentityScenario
        {
            Snapshot = IdentitySnapshot.From([Profile("prf_b", new(IdentifierTypes.DeviceId, "IDFV-1")), Profile("prf_a", new(IdentifierTypes.AnonymousId, "a"))]),
        };

        // The device id (more important) finds prf_b first; both were created at the same time, so prf_a survives.
        var merge = shop.Send(Event("screen", 5, """ "anonymousId":"a","context":{"device":{"id":"IDFV-1"}} """));

        Assert.Equal(IdentityDecisionKind.Merge, merge.Kind);
        Assert.Equal("prf_a", merge.ProfileId);
        Assert.Equal(new ProfileLink("prf_b", at, new Identifier(IdentifierTypes.DeviceId, "IDFV-1")), Assert.Single(merge.Merged));
    }

    [Fact]
    public void Merges_three_profiles_that_one_event_links()
    {
        var shop = new IdentityScenario();
        shop.Send(Event("page", 0, """ "anonymousId":"web" """));
        shop.Send(Event("identify", 10, """ "anonymousId":"newsletter","traits":{"email":"jane@shop.dk"} """));
        shop.Send(Event("screen", 20, """ "anonymousId":"app","context":{"device":{"id":"IDFV-9"}} """));

        var checkout = shop.Send(Event("identify", 30,
            """ "anonymousId":"web","userId":"u1","traits":{"email":"jane@shop.dk"},"context":{"device":{"id":"IDFV-9"}} """));

        Assert.Equal(IdentityDecisionKind.Merge, checkout.Kind);
        Assert.Equal("prf_0001", checkout.ProfileId);
        Assert.Equal(["prf_0002", "prf_0003"], checkout.Merged.Select(m => m.ProfileId));
        Assert.Equal(["user_id:u1"], checkout.Added.Select(a => a.ToString()));
        Assert.Equal(1, shop.Snapshot.ProfileCount);
        Assert.Equal(
            "Event m30 (identify at 2026-03-01T09:30:00Z) linked 3 profiles: prf_0001 by anonymous_id:web, prf_0002 by email:jane@shop.dk, "
            + "prf_0003 by device_id:IDFV-9. Merged prf_0002 and prf_0003 into prf_0001, the oldest (created 2026-03-01T09:00:00Z). Added user_id:u1.",
            checkout.Explain());
    }

    [Fact]
    public void Merges_transitively_across_events()
    {
        var shop = new IdentityScenario();
        shop.Send(Event("page", 0, """ "anonymousId":"a1" """));
        shop.Send(Event("page", 1, """ "anonymousId":"a2" """));
        shop.Send(Event("page", 2, """ "anonymousId":"a3" """));
        shop.Send(Event("identify", 3, """ "anonymousId":"a2","traits":{"email":"jane@shop.dk"} """));
        Assert.Equal(IdentityDecisionKind.Merge, shop.Send(Event("identify", 4, """ "anonymousId":"a1","traits":{"email":"jane@shop.dk"} """)).Kind);
        Assert.Equal(IdentityDecisionKind.Merge, shop.Send(Event("identify", 5, """ "anonymousId":"a3","traits":{"email":"jane@shop.dk"} """)).Kind);

        Assert.Equal(1, shop.Snapshot.ProfileCount);
        Assert.All(new[] { "anonymous_id:a1", "anonymous_id:a2", "anonymous_id:a3", "email:jane@shop.dk" }, id => Assert.Equal("prf_0001", shop.ProfileOf(id)));
    }

    [Fact]
    public void Aliases_an_anonymous_previousId_into_the_users_profile()
    {
        var shop = new IdentityScenario();
        shop.Send(Event("page", 0, """ "anonymousId":"a1" """));
        shop.Send(Event("identify", 5, """ "userId":"u1","traits":{"email":"jane@shop.dk"} """));

        var alias = shop.Send(Event("alias", 6, """ "previousId":"a1","userId":"u1" """));

        Assert.Equal(IdentityDecisionKind.Merge, alias.Kind);
        Assert.Equal("prf_0001", alias.ProfileId);
        Assert.Equal(new Identifier(IdentifierTypes.AnonymousId, "a1"), alias.MatchedBy);
    }

    [Fact]
    public void Types_a_previousId_that_a_profile_holds_as_a_user_id_as_a_user_id()
    {
        var strict = new IdentityScenario();
        strict.Send(Event("identify", 0, """ "userId":"old-login" """));
        var renamed = strict.Send(Event("alias", 1, """ "previousId":"old-login","userId":"jane" """));
        // Two user ids in one profile break the default limit, so the alias is refused rather than guessed.
        Assert.Equal(IdentityDecisionKind.Create, renamed.Kind);
        Assert.Equal(new Identifier(IdentifierTypes.UserId, "old-login"), Assert.Single(renamed.LeftOut).Identifier);

        var lenient = new IdentityScenario(IdentityRuleSet.Build(new IdentityRules
        {
            Types = [new IdentifierTypeRule { Type = IdentifierTypes.UserId, Priority = 1, Limit = 2 }],
        }));
        lenient.Send(Event("identify", 0, """ "userId":"old-login" """));
        var allowed = lenient.Send(Event("alias", 1, """ "previousId":"old-login","userId":"jane" """));
        Assert.Equal(IdentityDecisionKind.Attach, allowed.Kind);
        Assert.Equal(["user_id:old-login", "user_id:jane"], lenient.IdentifiersOf("prf_0001"));
    }

    [Fact]
    public void Links_a_group_events_person_to_the_account_without_making_the_account_an_identifier()
    {
        var shop = new IdentityScenario();
        shop.Send(Event("identify", 0, """ "userId":"u1" """));
        var group = shop.Send(Event("group", 1, """ "userId":"u1","groupId":"acct_1042","traits":{"email":"orders@cafe.dk"} """));

        Assert.Equal(IdentityDecisionKind.Match, group.Kind);
        Assert.Equal(new Identifier(IdentifierTypes.GroupId, "acct_1042"), group.Account);
        Assert.Null(shop.ProfileOf("group_id:acct_1042"));
        Assert.Null(shop.ProfileOf("email:orders@cafe.dk"));
        Assert.EndsWith("The person is linked to account group_id:acct_1042.", group.Explain());

        var blocked = shop.Send(Event("group", 2, """ "userId":"u1","groupId":"null" """));
        Assert.Null(blocked.Account);
        Assert.Equal(LeftOutReason.Blocked, Assert.Single(blocked.LeftOut).Reason);
    }

    [Fact]
    public void Matches_a_profile_that_breaks_rules_made_stricter_after_it_was_built()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var legacy = new ProfileIdentity("prf_legacy", at,
        [
            new HeldIdentifier(new Identifier(IdentifierTypes.UserId, "u1"), at),
            new HeldIdentifier(new Identifier(IdentifierTypes.UserId, "u1-old"), at),
        ]);
        var shop = new IdentityScenario { Snapshot = IdentitySnapshot.From([legacy]) };

        var decision = shop.Send(Event("track", 0, """ "userId":"u1","anonymousId":"a1","event":"Clicked" """));

        Assert.Equal(IdentityDecisionKind.Attach, decision.Kind);
        Assert.Equal("prf_legacy", decision.ProfileId);
        Assert.Equal(["anonymous_id:a1"], decision.Added.Select(a => a.ToString()));
    }
}

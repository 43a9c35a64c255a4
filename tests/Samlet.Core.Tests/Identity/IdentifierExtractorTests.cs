using System.Text.Json;
using Samlet.Events;
using Samlet.Identity;

namespace Samlet.Core.Tests.Identity;

public sealed class IdentifierExtractorTests
{
    private static EventIdentifiers Extract(string json, IdentityRuleSet? rules = null)
    {
        using var document = JsonDocument.Parse(json);
        return new IdentifierExtractor(rules ?? IdentityRuleSet.Default).Extract(document.RootElement);
    }

    private static string[] Ids(EventIdentifiers identifiers) => [.. identifiers.Identifiers.Select(i => i.ToString())];

    [Fact]
    public void Reads_ids_email_and_phone_of_an_identify_whose_traits_came_in_context_as_RudderStack_sends_them()
    {
        // The normaliser merged context.traits under traits (ADR 3); both are in the stored event.
        var identifiers = Extract("""
            {"type":"identify","messageId":"b1c6a4f2-5d7e-4d1a-9a51-3f0d2c1e7a90","timestamp":"2026-03-01T10:15:30.120Z",
             "userId":"user_100042","anonymousId":"8d0e4c1a-7b2f-4e3d-9c5a-1f2e3d4c5b6a",
             "traits":{"email":" Jane.Doe@Example.com ","phone":"020 7946 0958","address":{"country":"GB"}},
             "context":{"traits":{"email":" Jane.Doe@Example.com ","phone":"020 7946 0958","address":{"country":"GB"}},
                        "library":{"name":"RudderLabs JavaScript SDK","version":"3.34.1"},"locale":"en-GB"}}
            """);
        Assert.Equal(EventType.Identify, identifiers.Type);
        Assert.Equal("b1c6a4f2-5d7e-4d1a-9a51-3f0d2c1e7a90", identifiers.MessageId);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 15, 30, 120, TimeSpan.Zero), identifiers.Timestamp);
        Assert.Equal(
            ["user_id:user_100042", "anonymous_id:8d0e4c1a-7b2f-4e3d-9c5a-1f2e3d4c5b6a", "email:jane.doe@example.com", "phone:+442079460958"],
            Ids(identifiers));
    }

    [Fact]
    public void Reads_only_the_ids_of_an_analyticsjs_track_event_without_traits()
    {
        var identifiers = Extract("""
            {"type":"track","event":"Product Viewed","messageId":"ajs-next-1772360130120-0d1f","timestamp":"2026-03-01T10:15:30Z",
             "anonymousId":"f3c2a1b0-9d8e-4f7a-8b6c-5d4e3f2a1b0c","properties":{"product_id":"SKU-1","email":"not-a-person@shop.dk"},
             "context":{"page":{"path":"/p/sku-1"},"library":{"name":"analytics.js","version":"npm:next-1.84.3"}}}
            """);
        Assert.Equal(["anonymous_id:f3c2a1b0-9d8e-4f7a-8b6c-5d4e3f2a1b0c"], Ids(identifiers));
    }

    [Fact]
    public void Reads_the_email_a_track_event_carries_in_context_traits()
    {
        var identifiers = Extract("""
            {"type":"track","event":"Order Completed","messageId":"m1","timestamp":"2026-03-01T10:15:30Z","userId":"user_100042",
             "context":{"traits":{"email":"JANE@shop.dk"}}}
            """);
        Assert.Equal(["user_id:user_100042", "email:jane@shop.dk"], Ids(identifiers));
    }

    [Fact]
    public void Reads_device_and_advertising_ids_of_a_mobile_screen_event()
    {
        var identifiers = Extract("""
            {"type":"screen","name":"Home","messageId":"5B1F0C7E-2D3A-4B5C-8D9E-0F1A2B3C4D5E","timestamp":"2026-03-01T10:15:30Z",
             "anonymousId":"A1B2C3D4-E5F6-4789-ABCD-EF0123456789",
             "context":{"device":{"id":"9A8B7C6D-5E4F-4321-8765-0FEDCBA98765","advertisingId":"6D92078A-8246-4BA4-AE5B-76104861E7DC",
                        "adTrackingEnabled":true,"manufacturer":"Apple","model":"iPhone15,2","type":"ios"}}}
            """);
        Assert.Equal(
            ["anonymous_id:A1B2C3D4-E5F6-4789-ABCD-EF0123456789", "device_id:9A8B7C6D-5E4F-4321-8765-0FEDCBA98765", "advertising_id:6D92078A-8246-4BA4-AE5B-76104861E7DC"],
            Ids(identifiers));
    }

    [Fact]
    public void Ignores_the_advertising_id_when_the_person_turned_ad_tracking_off()
    {
        var identifiers = Extract("""
            {"type":"track","event":"Application Opened","messageId":"m1","timestamp":"2026-03-01T10:15:30Z","anonymousId":"a1",
             "context":{"device":{"id":"3f2a1b0c9d8e7f6a","advertisingId":"38400000-8cf0-11bd-b23e-10b96e40000d","adTrackingEnabled":false,"type":"android"}}}
            """);
        Assert.Equal(["anonymous_id:a1", "device_id:3f2a1b0c9d8e7f6a"], Ids(identifiers));
    }

    [Fact]
    public void Returns_a_groups_account_separately_and_never_takes_the_groups_own_traits_as_the_persons()
    {
        var identifiers = Extract("""
            {"type":"group","groupId":"acct_1042","messageId":"m1","timestamp":"2026-03-01T10:15:30Z","userId":"user_100042",
             "traits":{"name":"Café Aroma","email":"orders@cafe-aroma.dk","phone":"+45 20 12 34 56"},
             "context":{"traits":{"email":"jane@shop.dk"}}}
            """);
        Assert.Equal(["user_id:user_100042", "email:jane@shop.dk"], Ids(identifiers));
        Assert.Equal(new Identifier(IdentifierTypes.GroupId, "acct_1042"), identifiers.Account);
    }

    [Fact]
    public void Keeps_an_alias_previousId_for_the_resolver_to_type_and_looks_it_up_both_ways()
    {
        var identifiers = Extract("""
            {"type":"alias","previousId":"8d0e4c1a-7b2f-4e3d-9c5a-1f2e3d4c5b6a","userId":"user_100042","messageId":"m1","timestamp":"2026-03-01T10:15:30Z"}
            """);
        Assert.Equal(["user_id:user_100042"], Ids(identifiers));
        Assert.Equal("8d0e4c1a-7b2f-4e3d-9c5a-1f2e3d4c5b6a", identifiers.PreviousId);
        var keys = new List<Identifier>();
        identifiers.CollectLookupKeys(keys);
        Assert.Equal(
            ["user_id:user_100042", "user_id:8d0e4c1a-7b2f-4e3d-9c5a-1f2e3d4c5b6a", "anonymous_id:8d0e4c1a-7b2f-4e3d-9c5a-1f2e3d4c5b6a"],
            keys.Select(k => k.ToString()));
    }

    [Fact]
    public void Reads_a_custom_type_from_the_persons_traits_and_from_properties()
    {
        var rules = IdentityRuleSet.Build(new IdentityRules
        {
            Types = [new IdentifierTypeRule { Type = "crm_id", Priority = 2, Limit = 1, Paths = ["traits.crm_id", "properties.account.crm"] }],
        });
        var identify = Extract("""{"type":"identify","messageId":"m1","timestamp":"2026-03-01T10:15:30Z","userId":"u1","traits":{"crm_id":" 0042-DK "}}""", rules);
        var track = Extract("""{"type":"track","event":"Login","messageId":"m2","timestamp":"2026-03-01T10:15:30Z","userId":"u1","context":{"traits":{"crm_id":"0042-DK"}}}""", rules);
        var order = Extract("""{"type":"track","event":"Order Completed","messageId":"m3","timestamp":"2026-03-01T10:15:30Z","userId":"u1","properties":{"account":{"crm":4217}}}""", rules);
        Assert.Equal(["user_id:u1", "crm_id:0042-DK"], Ids(identify));
        Assert.Equal(["user_id:u1", "crm_id:0042-DK"], Ids(track));
        Assert.Equal(["user_id:u1", "crm_id:4217"], Ids(order));
    }

    [Fact]
    public void Reports_values_that_fail_normalisation_and_ignores_empty_ones()
    {
        var identifiers = Extract("""
            {"type":"identify","messageId":"m1","timestamp":"2026-03-01T10:15:30Z","userId":"u1",
             "traits":{"email":"Jane Doe@example.com","phone":""}}
            """);
        Assert.Equal(["user_id:u1"], Ids(identifiers));
        var invalid = Assert.Single(identifiers.Invalid);
        Assert.Equal(LeftOutReason.Invalid, invalid.Reason);
        Assert.Equal("email 'Jane Doe@example.com' is not a valid value for its type, so it is not an identifier.", invalid.Describe());
    }

    [Fact]
    public void Reads_a_local_phone_number_in_the_region_of_the_events_locale()
    {
        var identifiers = Extract("""
            {"type":"identify","messageId":"m1","timestamp":"2026-03-01T10:15:30Z","userId":"u1",
             "traits":{"phone":"0151 23456789"},"context":{"locale":"de-DE"}}
            """);
        Assert.Equal(["user_id:u1", "phone:+4915123456789"], Ids(identifiers));
    }

    [Fact]
    public void Reads_each_identifier_once_when_it_appears_in_several_places()
    {
        var rules = IdentityRuleSet.Build(new IdentityRules
        {
            Types = [new IdentifierTypeRule { Type = IdentifierTypes.Email, Priority = 2, Limit = 5, Paths = ["properties.email"] }],
        });
        var identifiers = Extract("""
            {"type":"track","event":"Newsletter Subscribed","messageId":"m1","timestamp":"2026-03-01T10:15:30Z","anonymousId":"a1",
             "properties":{"email":"jane@shop.dk"},"context":{"traits":{"email":"Jane@Shop.dk"}}}
            """, rules);
        Assert.Equal(["anonymous_id:a1", "email:jane@shop.dk"], Ids(identifiers));
    }
}

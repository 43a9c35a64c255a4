using System.Text.Json;
using Samlet.Demo;
using Samlet.Identity;
using Samlet.Ingestion;

namespace Samlet.Core.Tests.Identity;

/// <summary>The identity stage on the demo shop's synthetic year (docs/demo-data.md), normalised as the log stores it.</summary>
public sealed class IdentityOnDemoDataTests
{
    private static (IdentitySnapshot Snapshot, List<IdentityDecision> Decisions, List<(string User, string Anonymous)> Pairs) Run(DemoOptions options)
    {
        var normalizer = new EventNormalizer(new IngestionLimits());
        var extractor = new IdentifierExtractor(IdentityRuleSet.Default);
        var resolver = new IdentityResolver(IdentityRuleSet.Default);
        var snapshot = new IdentitySnapshot();
        var decisions = new List<IdentityDecision>();
        var pairs = new List<(string, string)>();
        var next = 0;
        foreach (var demo in new DemoShop(options).Events())
        {
            JsonDocument line;
            try
            {
                line = JsonDocument.Parse(demo.Line);
            }
            catch (JsonException)
            {
                continue; // the generator's deliberately truncated lines
            }

            using (line)
            {
                var result = normalizer.Normalize(line.RootElement, default, null, new IngestContext("src_demo", demo.Timestamp, null, MissingMessageIds.ContentHash));
                if (result.Accepted is not { } accepted)
                {
                    continue;
                }

                using var payload = JsonDocument.Parse(accepted.Payload);
                var identifiers = extractor.Extract(payload.RootElement);
                var decision = resolver.Resolve(snapshot, identifiers, () => "prf_" + ++next);
                snapshot.Apply(decision);
                decisions.Add(decision);
                if (accepted is { UserId: { } user, AnonymousId: { } anonymous })
                {
                    pairs.Add((user, anonymous));
                }
            }
        }

        return (snapshot, decisions, pairs);
    }

    private static int UserIds(ProfileIdentity profile) => profile.Identifiers.Count(h => h.Identifier.Type == IdentifierTypes.UserId);

    [Fact]
    public void Stitches_every_device_a_demo_customer_used_into_the_one_profile_of_their_user_id()
    {
        var (snapshot, decisions, pairs) = Run(new DemoOptions { Customers = 300, Days = 180, BadDataScale = 0 });

        Assert.NotEmpty(pairs);
        Assert.Contains(decisions, d => d.Kind == IdentityDecisionKind.Merge); // second browsers and apps met their user
        foreach (var (user, anonymous) in pairs)
        {
            var profile = snapshot.OwnerOf(new Identifier(IdentifierTypes.UserId, user));
            Assert.NotNull(profile);
            Assert.Equal(profile, snapshot.OwnerOf(new Identifier(IdentifierTypes.AnonymousId, anonymous)));
        }

        var users = pairs.Select(p => p.User).Distinct().Count();
        Assert.Equal(users, snapshot.Profiles.Count(p => UserIds(p) == 1));
        Assert.DoesNotContain(snapshot.Profiles, p => UserIds(p) > 1);
    }

    [Fact]
    public void Keeps_the_demos_placeholder_ids_and_shared_test_email_out_of_every_profile()
    {
        var (snapshot, decisions, _) = Run(new DemoOptions { Customers = 300, Days = 180, BadDataScale = 5 });

        Assert.Contains(decisions, d => d.LeftOut.Any(l => l.Reason == LeftOutReason.Blocked && l.Identifier.Value is "undefined" or "null"));
        Assert.Contains(decisions, d => d.LeftOut.Any(l => l.Reason == LeftOutReason.Blocked && l.Identifier.Value == "test@test.com"));
        var blocked = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "undefined", "null", "test@test.com" };
        Assert.DoesNotContain(snapshot.Profiles.SelectMany(p => p.Identifiers), h => blocked.Contains(h.Identifier.Value));
        Assert.DoesNotContain(snapshot.Profiles, p => UserIds(p) > 1);
    }
}

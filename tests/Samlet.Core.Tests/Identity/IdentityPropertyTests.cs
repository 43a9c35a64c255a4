using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Samlet.Events;
using Samlet.Identity;

namespace Samlet.Core.Tests.Identity;

/// <summary>Random event streams over small pools of ids, so that links, conflicts and merges happen often.</summary>
public sealed class IdentityPropertyTests
{
    private static readonly DateTimeOffset _start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly IdentityRuleSet _windowed = IdentityRuleSet.Build(new IdentityRules
    {
        Types =
        [
            new IdentifierTypeRule { Type = IdentifierTypes.Email, Priority = 2, Limit = 2, Window = TimeSpan.FromDays(3) },
            new IdentifierTypeRule { Type = IdentifierTypes.Phone, Priority = 3, Limit = 1 },
            new IdentifierTypeRule { Type = IdentifierTypes.DeviceId, Priority = 4, Limit = 2, Window = TimeSpan.FromHours(12) },
        ],
    });

    private static readonly IdentityRuleSet _unlimited = IdentityRuleSet.Build(new IdentityRules
    {
        Types =
        [
            new IdentifierTypeRule { Type = IdentifierTypes.UserId, Priority = 1 },
            new IdentifierTypeRule { Type = IdentifierTypes.Email, Priority = 2, BlockedValues = ["test@test.com"] },
            new IdentifierTypeRule { Type = IdentifierTypes.Phone, Priority = 3 },
        ],
    });

    private static Gen<EventIdentifiers[]> Streams(bool inOrder, bool formerUserIds = true)
    {
        var ev =
            from kind in Gen.Elements(EventType.Track, EventType.Track, EventType.Identify, EventType.Identify, EventType.Alias, EventType.Page)
            from user in Gen.Elements(null, null, "u1", "u2", "u3", "u4", "null")
            from anonymous in Gen.Elements(null, "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8")
            from email in Gen.Elements(null, null, "e1@shop.dk", "e2@shop.dk", "e3@shop.dk", "e4@shop.dk", "e5@shop.dk", "test@test.com")
            from phone in Gen.Elements(null, null, null, "+4520123456", "+4520123457", "+4520123458")
            from device in Gen.Elements(null, null, "d1", "d2", "d3", "00000000-0000-0000-0000-000000000000")
            from previous in formerUserIds ? Gen.Elements("a1", "a2", "a3", "u1", "u2") : Gen.Elements("a1", "a2", "a3")
            from minutes in Gen.Choose(0, 14 * 24 * 60)
            select (kind, user, anonymous, email, phone, device, previous, minutes);
        return Gen.Choose(1, 60).SelectMany(n => Gen.ArrayOf(ev, n)).Select(specs =>
        {
            if (inOrder)
            {
                Array.Sort(specs, (a, b) => a.minutes.CompareTo(b.minutes));
            }

            var events = new EventIdentifiers[specs.Length];
            for (var i = 0; i < specs.Length; i++)
            {
                var (kind, user, anonymous, email, phone, device, previous, minutes) = specs[i];
                var ids = new List<Identifier>();
                void Add(string type, string? value)
                {
                    if (value is not null)
                    {
                        ids.Add(new Identifier(type, value));
                    }
                }

                Add(IdentifierTypes.UserId, kind == EventType.Alias ? user ?? "u1" : user);
                Add(IdentifierTypes.AnonymousId, anonymous);
                Add(IdentifierTypes.Email, kind == EventType.Identify ? email : null);
                Add(IdentifierTypes.Phone, kind == EventType.Identify ? phone : null);
                Add(IdentifierTypes.DeviceId, device);
                events[i] = new EventIdentifiers("m" + i.ToString(CultureInfo.InvariantCulture), kind, _start.AddMinutes(minutes), [.. ids],
                    kind == EventType.Alias ? previous : null);
            }

            return events;
        });
    }

    private static (IdentitySnapshot Snapshot, string Log) Process(EventIdentifiers[] events, IdentityRuleSet rules, Action<IdentitySnapshot, IdentityDecision>? check = null)
    {
        var resolver = new IdentityResolver(rules);
        var snapshot = new IdentitySnapshot();
        var next = 0;
        var log = new StringBuilder();
        foreach (var ev in events)
        {
            var decision = resolver.Resolve(snapshot, ev, () => "p" + (++next).ToString("D3", CultureInfo.InvariantCulture));
            snapshot.Apply(decision);
            check?.Invoke(snapshot, decision);
            log.AppendLine(decision.Explain());
        }

        return (snapshot, log.ToString());
    }

    private static string Dump(IdentitySnapshot snapshot)
    {
        var text = new StringBuilder();
        foreach (var profile in snapshot.Profiles.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            text.Append(profile.Id).Append(' ').Append(profile.CreatedAt.ToString("O", CultureInfo.InvariantCulture)).Append(':');
            foreach (var held in profile.Identifiers)
            {
                text.Append(' ').Append(held.Identifier).Append('@').Append(held.AddedAt.ToString("O", CultureInfo.InvariantCulture));
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    // No profile above an unwindowed limit; every identifier in exactly one profile, and the index agrees with the profiles.
    private static void AssertConsistent(IdentitySnapshot snapshot, IdentityRuleSet rules, IEnumerable<Identifier> everAdded)
    {
        var seen = new HashSet<Identifier>();
        foreach (var profile in snapshot.Profiles)
        {
            foreach (var held in profile.Identifiers)
            {
                Assert.True(seen.Add(held.Identifier), $"{held.Identifier} is in two profiles");
                Assert.Equal(profile.Id, snapshot.OwnerOf(held.Identifier));
            }

            foreach (var group in profile.Identifiers.GroupBy(h => h.Identifier.Type))
            {
                var rule = rules.For(group.Key);
                if (rule.Limit is { } limit && rule.Window is null)
                {
                    Assert.True(group.Count() <= limit, $"{profile.Id} holds {group.Count()} {group.Key} values (limit {limit})");
                }
            }
        }

        foreach (var identifier in everAdded)
        {
            Assert.True(seen.Contains(identifier), $"{identifier} was added and then lost");
        }
    }

    [Fact]
    public void Random_streams_respect_limits_keep_every_identifier_in_one_profile_and_resolve_deterministically()
    {
        Prop.ForAll(Arb.From(Streams(inOrder: false)), events =>
        {
            var everAdded = new List<Identifier>();
            var (snapshot, log) = Process(events, IdentityRuleSet.Default, (_, decision) => everAdded.AddRange(decision.Added));
            AssertConsistent(snapshot, IdentityRuleSet.Default, everAdded);
            Assert.DoesNotContain(everAdded, id => id.Value is "null" or "test@test.com" or "00000000-0000-0000-0000-000000000000");
            var (again, logAgain) = Process(events, IdentityRuleSet.Default);
            Assert.Equal(Dump(snapshot), Dump(again));
            Assert.Equal(log, logAgain);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    // The profiles as sets of identifiers, ignoring profile ids (which depend on the order profiles were created in).
    private static string Partition(IdentitySnapshot snapshot) => string.Join(
        "\n",
        snapshot.Profiles.Select(p => string.Join(" ", p.Identifiers.Select(h => h.Identifier.ToString()).Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal));

    [Fact]
    public void Random_streams_without_limits_give_the_same_profiles_in_any_order()
    {
        // Without limits nothing depends on order: profiles are the connected components of the identifiers events share.
        // (An alias naming a former user id is typed by what the store knows when it arrives, so it is left out here.)
        var streams = Streams(inOrder: false, formerUserIds: false).SelectMany(events => Gen.Shuffle(events).Select(shuffled => (events, shuffled)));
        Prop.ForAll(Arb.From(streams), pair =>
        {
            var inLogOrder = Process(pair.events, _unlimited).Snapshot;
            var shuffled = Process(pair.shuffled, _unlimited).Snapshot;
            Assert.Equal(Partition(inLogOrder), Partition(shuffled));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Random_streams_in_time_order_never_exceed_a_windowed_limit_at_any_event()
    {
        Prop.ForAll(Arb.From(Streams(inOrder: true)), events =>
        {
            var everAdded = new List<Identifier>();
            var (snapshot, log) = Process(events, _windowed, (after, decision) =>
            {
                everAdded.AddRange(decision.Added);
                if (decision.ProfileId is null)
                {
                    return;
                }

                var profile = after.Find(decision.ProfileId)!;
                foreach (var type in new[] { IdentifierTypes.Email, IdentifierTypes.DeviceId })
                {
                    var rule = _windowed.For(type);
                    var inWindow = profile.Identifiers.Count(h => h.Identifier.Type == type && rule.Counts(h.AddedAt, decision.Timestamp));
                    Assert.True(inWindow <= rule.Limit, $"{decision.MessageId}: {profile.Id} holds {inWindow} {type} values added within {rule.Window}");
                }
            });
            AssertConsistent(snapshot, _windowed, everAdded);
            Assert.Equal(log, Process(events, _windowed).Log);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }
}

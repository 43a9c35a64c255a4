using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Samlet.Audiences;
using Samlet.Events;
using Samlet.Identity;
using Samlet.Pipeline;
using Samlet.Profiles;
using Samlet.Storage;

namespace Samlet.Benchmarks.Audiences;

/// <summary>
/// Writes profiles straight into a store, as the pipeline would have left them after their events: traits, a few
/// <c>Product Viewed</c>/<c>Order Completed</c> events folded into the aggregates the definitions keep (timestamps spread
/// over the last 120 days), memberships, and a <c>user_id</c> (and mostly an <c>email</c>) identifier. The events
/// themselves are not appended: the benchmark's preview and recompute read only what the profiles keep.
/// </summary>
internal sealed class SyntheticProfiles(ICdpStore store, string workspaceId, string sourceId, WorkspaceDefinitions definitions, int seed) : IDisposable
{
    private static readonly string[] _countries = ["DK", "SE", "NO", "DE", "FR", "GB", "US", "NL"];
    private static readonly string[] _categories = ["shoes", "shirts", "bags", "hats", "coats", "toys"];

    // A small pool of parsed payloads: aggregates read only the properties, so events can share them.
    private readonly JsonDocument[] _viewed = [.. _categories.Select(c => JsonDocument.Parse($$$"""{"type":"track","event":"Product Viewed","properties":{"category":"{{{c}}}","price":25}}"""))];
    private readonly JsonDocument[] _orders = [.. Enumerable.Range(1, 12).Select(t => JsonDocument.Parse($$$"""{"type":"track","event":"Order Completed","properties":{"total":{{{t * 15}}},"currency":"EUR"}}"""))];

    /// <summary>Writes <paramref name="count"/> profiles in change sets of <paramref name="chunk"/>; returns the memberships written.</summary>
    public async Task<long> WriteAsync(int count, int chunk, DateTimeOffset now, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var stage = new AudienceStage(definitions, workspaceId, null);
        var random = new Random(seed);
        var consumer = PipelinePartitions.ConsumerOf((await store.Sources.ListWorkspacesAsync(cancellationToken)).Single(w => w.Id == workspaceId).Partition);
        var position = await store.Profiles.GetCheckpointAsync(consumer, cancellationToken);
        long memberships = 0;
        for (var start = 0; start < count; start += chunk)
        {
            // Pinned p→p, as the pipeline's own out-of-batch writes are: refused if a batch moved the checkpoint meanwhile.
            var changes = new ChangeSet { Checkpoints = { new CheckpointMove(consumer, position, position) } };
            for (var i = start; i < Math.Min(count, start + chunk); i++)
            {
                Add(i, random, stage, now, changes);
            }

            await store.ApplyAsync(changes, cancellationToken);
            memberships += changes.Memberships.Count;
            progress?.Report(Math.Min(count, start + chunk));
        }

        return memberships;
    }

    private void Add(int i, Random random, AudienceStage stage, DateTimeOffset now, ChangeSet changes)
    {
        var messageId = "gen-" + i.ToString(CultureInfo.InvariantCulture);
        var id = ProfileIds.For(workspaceId, sourceId, messageId, i);
        var createdAt = now - TimeSpan.FromSeconds(random.Next(120 * 86_400, 400 * 86_400));
        var profile = new ProfileState(id, workspaceId, createdAt);
        var roll = random.Next(100);
        Trait(profile, "plan", roll < 60 ? "\"free\"" : roll < 90 ? "\"pro\"" : "\"enterprise\"", createdAt, messageId);
        Trait(profile, "country", "\"" + _countries[random.Next(_countries.Length)] + "\"", createdAt, messageId);
        Trait(profile, "age", random.Next(18, 71).ToString(CultureInfo.InvariantCulture), createdAt, messageId);
        var identifiers = ImmutableArray.CreateBuilder<HeldIdentifier>(2);
        identifiers.Add(new HeldIdentifier(new Identifier(IdentifierTypes.UserId, "u" + i.ToString(CultureInfo.InvariantCulture)), createdAt));
        if (random.Next(100) < 80)
        {
            var email = "user" + i.ToString(CultureInfo.InvariantCulture) + "@example.com";
            Trait(profile, "email", "\"" + email + "\"", createdAt, messageId);
            identifiers.Add(new HeldIdentifier(new Identifier(IdentifierTypes.Email, email), createdAt));
        }

        stage.Attach(profile, fresh: true);
        var events = random.Next(0, 10);
        for (var j = 0; j < events; j++)
        {
            var order = random.Next(100) < 25;
            var name = order ? "Order Completed" : "Product Viewed";
            var payload = order ? _orders[random.Next(_orders.Length)] : _viewed[random.Next(_viewed.Length)];
            var at = now - TimeSpan.FromSeconds(random.Next(120 * 86_400));
            var eventId = messageId + "-" + j.ToString(CultureInfo.InvariantCulture);
            var e = new StoredEvent(0, sourceId, eventId, EventType.Track, name, null, null, at, at, []);
            stage.Observe(profile, e, payload.RootElement, default, now);
            profile.See(at, sourceId, eventId);
            profile.TypeCounts["track"] = profile.TypeCounts.GetValueOrDefault("track") + 1;
            profile.EventCounts[name] = profile.EventCounts.GetValueOrDefault(name) + 1;
        }

        var identity = new ProfileIdentity(id, createdAt, identifiers.ToImmutable());
        stage.Settle(profile, identity, now, changes);
        profile.UpdatedAt = now;
        changes.Profiles.Add(profile);
        foreach (var held in identity.Identifiers)
        {
            changes.Identifiers.Add(new ProfileIdentifier(workspaceId, id, held.Identifier, held.AddedAt));
        }
    }

    public void Dispose()
    {
        foreach (var document in _viewed.Concat(_orders))
        {
            document.Dispose();
        }
    }

    private void Trait(ProfileState profile, string key, string json, DateTimeOffset at, string messageId) =>
        profile.Traits.Set(key, new TraitValue(json, at, sourceId, messageId));
}

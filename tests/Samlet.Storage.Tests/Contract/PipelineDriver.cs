using System.Globalization;
using System.Text;
using System.Text.Json;
using Samlet.Events;
using Samlet.Identity;
using Samlet.Ingestion;
using Samlet.Pipeline;
using Samlet.Sources;

namespace Samlet.Storage.Tests.Contract;

/// <summary>
/// Drives the pipeline over a real store: events written as Segment messages go through the real normaliser into the
/// event log, and a real <see cref="PipelineWorker"/> applies them. Also reads profiles back in a canonical text form,
/// so that two ways of getting to a state (live, rebuild, unmerge) can be compared whole.
/// </summary>
public sealed class PipelineDriver(ICdpStore store)
{
    private ICdpStore _store = store;

    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly EventNormalizer _normalizer = new(new IngestionLimits());
    private readonly HashSet<Identifier> _seen = [];
    private int _messages;
    private PipelineWorker? _live;

    private readonly SettableTime _time = new(T0.AddDays(30));

    public TimeProvider Time => _time;

    /// <summary>The pipeline's "now" (starts 30 days after <see cref="T0"/>).</summary>
    public DateTimeOffset Now
    {
        get => _time.Now;
        set => _time.Now = value;
    }

    /// <summary>The store the driver works on (replaced after a test reopens it).</summary>
    public ICdpStore Store
    {
        get => _store;
        set
        {
            _store = value;
            _live = null;
        }
    }

    public async Task AddWorkspaceAsync(string workspaceId, string sourceId)
    {
        await _store.Sources.CreateWorkspaceAsync(new Workspace(workspaceId, workspaceId, T0), CancellationToken.None);
        await _store.Sources.CreateSourceAsync(new Source(sourceId, workspaceId, sourceId, "hash-" + sourceId, true, T0), CancellationToken.None);
    }

    /// <summary>
    /// A worker on the store (see <see cref="PipelineWorker.EventsPerCommit"/> and <see cref="PipelineWorker.CachedProfiles"/>).
    /// </summary>
    public PipelineWorker Worker(int batchSize = 2000, int? eventsPerCommit = null, int cachedProfiles = 100_000) =>
        new(_store, Time) { BatchSize = batchSize, EventsPerCommit = eventsPerCommit ?? _store.EventsPerCatchUpCommit, CachedProfiles = cachedProfiles };

    /// <summary>
    /// Live processing between appends, at random: the worker of the last call again (with the profiles it keeps in
    /// memory) or a new one, running a few batches one at a time or catching up with several batches decided before they
    /// are applied together.
    /// </summary>
    public async Task<PipelineWorker> ProcessSomeAsync(Random random)
    {
        if (_live is null || random.Next(2) == 0)
        {
            _live = Worker(batchSize: random.Next(1, 8), eventsPerCommit: random.Next(1, 30), cachedProfiles: random.Next(2) == 0 ? 100_000 : random.Next(0, 5));
        }

        if (random.Next(3) == 0)
        {
            await _live.CatchUpAsync(null, CancellationToken.None);
        }
        else
        {
            for (var runs = random.Next(0, 3); runs > 0; runs--)
            {
                await _live.RunOnceAsync(CancellationToken.None);
            }
        }

        return _live;
    }

    /// <summary>A Segment message at <see cref="T0"/> plus <paramref name="minutes"/>; <paramref name="fields"/> is the rest of its JSON object.</summary>
    public string Message(string type, double minutes, string fields, string? messageId = null)
    {
        var time = T0.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        messageId ??= "m" + (++_messages).ToString("D4", CultureInfo.InvariantCulture);
        return $$"""{"type":"{{type}}","messageId":"{{messageId}}","timestamp":"{{time}}",{{fields}}}""";
    }

    /// <summary>Normalises and appends messages of one source, as the Tracking API would.</summary>
    public async Task SendAsync(string sourceId, params string[] messages)
    {
        var events = new List<CollectedEvent>();
        foreach (var message in messages)
        {
            using var document = JsonDocument.Parse(message);
            var normalized = _normalizer.Normalize(document.RootElement, default, null, new IngestContext(sourceId, T0.AddDays(1), "127.0.0.1"));
            var accepted = normalized.Accepted ?? throw new InvalidOperationException("The test message was rejected: " + normalized.Rejected?.Reason);
            events.Add(accepted);
            Remember(document.RootElement);
        }

        await _store.Events.AppendAsync(events, [], CancellationToken.None);
    }

    public async Task<ProfileView?> ProfileOfAsync(string workspaceId, string identifier)
    {
        var id = await _store.Profiles.FindProfileIdAsync(workspaceId, Identifier.Parse(identifier), CancellationToken.None);
        return id is null ? null : await ViewAsync(workspaceId, id);
    }

    public async Task<ProfileView?> ViewAsync(string workspaceId, string profileId)
    {
        var state = await _store.Profiles.GetProfileAsync(workspaceId, profileId, CancellationToken.None);
        if (state is null)
        {
            return null;
        }

        var identifiers = await _store.Profiles.GetIdentifiersAsync(state.Id, CancellationToken.None);
        var events = await _store.Profiles.GetEventsAsync(state.Id, null, 100_000, CancellationToken.None);
        var history = await _store.Profiles.GetHistoryAsync(state.Id, CancellationToken.None);
        var accounts = await _store.Profiles.GetAccountsOfAsync(state.Id, CancellationToken.None);
        return new ProfileView(state, identifiers, events, history, accounts);
    }

    /// <summary>Every live profile that holds an identifier the driver has sent, once each.</summary>
    public async Task<IReadOnlyList<ProfileView>> AllProfilesAsync(string workspaceId)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var identifier in _seen)
        {
            if (await _store.Profiles.FindProfileIdAsync(workspaceId, identifier, CancellationToken.None) is { } id)
            {
                ids.Add(id);
            }
        }

        var views = new List<ProfileView>();
        foreach (var id in ids)
        {
            views.Add((await ViewAsync(workspaceId, id))!);
        }

        return views;
    }

    /// <summary>The workspace's profiles as text, including ids and times (live processing and rebuild must agree exactly).</summary>
    public async Task<string> DumpAsync(string workspaceId, bool withHistory = true)
    {
        var text = new StringBuilder();
        foreach (var view in await AllProfilesAsync(workspaceId))
        {
            text.AppendLine(view.Describe(withIds: true, withHistory));
        }

        return text.ToString();
    }

    /// <summary>The profiles keyed by their identifiers, without ids and creation times (for comparing different log orders).</summary>
    public async Task<string> DumpWithoutIdsAsync(string workspaceId)
    {
        var profiles = (await AllProfilesAsync(workspaceId)).Select(v => v.Describe(withIds: false, withHistory: false)).Order(StringComparer.Ordinal);
        return string.Join(Environment.NewLine, profiles);
    }

    private void Remember(JsonElement message)
    {
        foreach (var (name, type) in new[] { ("userId", IdentifierTypes.UserId), ("anonymousId", IdentifierTypes.AnonymousId), ("previousId", IdentifierTypes.UserId), ("previousId", IdentifierTypes.AnonymousId) })
        {
            if (message.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                _seen.Add(new Identifier(type, value.GetString()!));
            }
        }

        foreach (var traits in new[] { message.TryGetProperty("traits", out var t) ? t : default, message.TryGetProperty("context", out var c) && c.TryGetProperty("traits", out var ct) ? ct : default })
        {
            if (traits.ValueKind == JsonValueKind.Object && traits.TryGetProperty("email", out var email) && email.ValueKind == JsonValueKind.String)
            {
                _seen.Add(new Identifier(IdentifierTypes.Email, email.GetString()!.Trim().ToLowerInvariant()));
            }
        }
    }

    private sealed class SettableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

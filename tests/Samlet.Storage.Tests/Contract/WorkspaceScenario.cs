using Samlet.Audiences;
using Samlet.Sources;

namespace Samlet.Storage.Tests.Contract;

/// <summary>
/// What the audience and analytics scenario suites share: one workspace with one source on a fresh store, and short
/// ways to send events, run the pipeline, define audiences and read profiles and announcements back.
/// </summary>
public abstract class WorkspaceScenario<TFixture> : IAsyncLifetime
    where TFixture : StoreFixture, new()
{
    protected const string Ws = "ws_shop";
    protected const string Src = "src_web";
    private const double Day = 24 * 60;
    private readonly TFixture _fixture = new();

    protected PipelineDriver Driver { get; private set; } = null!;

    protected ICdpStore Store => _fixture.Store;

    /// <summary>Minutes after T0 for a time that many days before the pipeline's (initial) now.</summary>
    protected static double DaysAgo(double days) => (30 - days) * Day;

    public async Task InitializeAsync()
    {
        await _fixture.InitializeAsync();
        Driver = new PipelineDriver(Store);
        await Driver.AddWorkspaceAsync(Ws, Src);
    }

    public Task DisposeAsync() => _fixture.DisposeAsync();

    protected string M(string type, double minutes, string fields) => Driver.Message(type, minutes, fields);

    protected Task SendAsync(params string[] messages) => Driver.SendAsync(Src, messages);

    protected Task<long> ProcessAsync() => Driver.Worker().CatchUpAsync(null, CancellationToken.None);

    protected async Task PutAsync(DefinitionKind kind, string json)
    {
        var key = kind == DefinitionKind.Audience ? DefinitionParser.ParseAudience(json).Value.Key : DefinitionParser.ParseComputedTrait(json).Value.Key;
        await Store.Audiences.PutDefinitionAsync(Ws, kind, key, json, Driver.Now, CancellationToken.None);
    }

    protected async Task<ProfileView> ProfileAsync(string identifier) =>
        await Driver.ProfileOfAsync(Ws, identifier) ?? throw new Xunit.Sdk.XunitException($"No profile holds {identifier}.");

    /// <summary>The workspace's <c>Audience Entered</c>/<c>Exited</c> events in log order, as "name user-or-anonymous-id".</summary>
    protected async Task<List<string>> AnnouncementsAsync()
    {
        var events = await Store.Events.ReadAfterAsync(0, 10_000, CancellationToken.None);
        return [.. events.Where(e => e.SourceId == OwnSources.AudiencesOf(Ws)).Select(e => $"{e.EventName} {e.UserId ?? e.AnonymousId}")];
    }
}

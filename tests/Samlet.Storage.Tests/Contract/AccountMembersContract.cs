namespace Samlet.Storage.Tests.Contract;

/// <summary>
/// <see cref="IProfileStore.GetMembersAsync"/>, which the Profile API's account links read: an account's people,
/// earliest link first, limited, per workspace, and following merges. Enrolled per backend as an empty subclass.
/// </summary>
public abstract class AccountMembersContract<TFixture> : IAsyncLifetime
    where TFixture : StoreFixture, new()
{
    private const string Ws = "ws_shop";
    private const string Src = "src_web";
    private readonly TFixture _fixture = new();
    private PipelineDriver _driver = null!;

    private ICdpStore Store => _fixture.Store;

    public async Task InitializeAsync()
    {
        await _fixture.InitializeAsync();
        _driver = new PipelineDriver(Store);
        await _driver.AddWorkspaceAsync(Ws, Src);
        await _driver.AddWorkspaceAsync("ws_other", "src_other");
    }

    public Task DisposeAsync() => _fixture.DisposeAsync();

    private async Task<string> IdOfAsync(string workspaceId, string identifier) =>
        (await _driver.ProfileOfAsync(workspaceId, identifier))?.Id ?? throw new Xunit.Sdk.XunitException($"No profile holds {identifier}.");

    private async Task<List<(string ProfileId, DateTimeOffset LinkedAt)>> MembersAsync(string workspaceId, string groupId, int limit = 10) =>
        [.. (await Store.Profiles.GetMembersAsync(workspaceId, groupId, limit, CancellationToken.None)).Select(m => (m.ProfileId, m.LinkedAt))];

    [Fact]
    public async Task Lists_an_accounts_people_earliest_link_first_within_the_limit_and_the_workspace()
    {
        await _driver.SendAsync(Src,
            _driver.Message("group", 5, """ "userId":"bob","groupId":"acme" """),
            _driver.Message("group", 1, """ "userId":"jane","groupId":"acme" """),
            _driver.Message("group", 3, """ "userId":"jane","groupId":"acme" """),
            _driver.Message("group", 2, """ "userId":"carl","groupId":"globex" """));
        await _driver.SendAsync("src_other", _driver.Message("group", 0, """ "userId":"olga","groupId":"acme" """));
        await _driver.Worker().CatchUpAsync(null, CancellationToken.None);

        var jane = await IdOfAsync(Ws, "user_id:jane");
        var bob = await IdOfAsync(Ws, "user_id:bob");
        Assert.Equal([(jane, PipelineDriver.T0.AddMinutes(1)), (bob, PipelineDriver.T0.AddMinutes(5))], await MembersAsync(Ws, "acme"));
        Assert.Equal([jane], (await MembersAsync(Ws, "acme", limit: 1)).Select(m => m.ProfileId));
        Assert.Equal([await IdOfAsync(Ws, "user_id:carl")], (await MembersAsync(Ws, "globex")).Select(m => m.ProfileId));
        Assert.Equal([await IdOfAsync("ws_other", "user_id:olga")], (await MembersAsync("ws_other", "acme")).Select(m => m.ProfileId));
        Assert.Empty(await MembersAsync(Ws, "initech"));
    }

    [Fact]
    public async Task Lists_the_surviving_profile_once_after_its_members_merge()
    {
        await _driver.SendAsync(Src,
            _driver.Message("group", 0, """ "anonymousId":"laptop","groupId":"acme" """),
            _driver.Message("group", 1, """ "userId":"jane","groupId":"acme" """),
            _driver.Message("identify", 2, """ "userId":"jane","anonymousId":"laptop" """));
        await _driver.Worker().CatchUpAsync(null, CancellationToken.None);

        var survivor = await IdOfAsync(Ws, "user_id:jane");
        Assert.Equal(survivor, await IdOfAsync(Ws, "anonymous_id:laptop"));
        Assert.Equal([(survivor, PipelineDriver.T0)], await MembersAsync(Ws, "acme"));
    }
}

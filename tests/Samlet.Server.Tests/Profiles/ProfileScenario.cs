using System.Net.Http.Headers;
using System.Text.Json;
using Samlet.Sources;

namespace Samlet.Server.Tests.Profiles;

/// <summary>
/// A server with two people sent through the Tracking API and applied by the pipeline: Jane browses anonymously, signs
/// up (a second profile), is recognised (the two merge), orders, views a product (sent late) and joins the account
/// Acme; Bob, whose e-mail has a '+', joins Acme too. A second workspace, with its own key, has its own Jane.
/// </summary>
public sealed class ProfileScenario : IAsyncLifetime
{
    public const string OtherKey = "sk_other_workspace_key";
    public const string OtherWorkspaceId = "ws_other";

    public SamletServer Server { get; } = new();

    public string WorkspaceId { get; private set; } = "";

    public string SourceId { get; private set; } = "";

    /// <summary>A client with the other workspace's API key.</summary>
    public HttpClient Other { get; private set; } = null!;

    /// <summary>Jane's events in log order.</summary>
    public static string[] JaneMessages { get; } = ["j1", "j2", "j3", "j4", "j5", "j6", "j7"];

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        var store = Server.Store;
        WorkspaceId = (await store.Sources.ListWorkspacesAsync(CancellationToken.None))[0].Id;
        SourceId = (await store.Sources.ListSourcesAsync(WorkspaceId, CancellationToken.None))[0].Id;
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await store.Sources.CreateWorkspaceAsync(new Workspace(OtherWorkspaceId, "Other", at), CancellationToken.None);
        await store.Sources.CreateSourceAsync(new Source("src_other", OtherWorkspaceId, "Other source", Secrets.Hash("wk_other"), true, at), CancellationToken.None);
        await store.Sources.CreateApiKeyAsync(new ApiKey("key_other", OtherWorkspaceId, "other", Secrets.Hash(OtherKey), at), CancellationToken.None);
        Other = new HttpClient { BaseAddress = Server.BaseAddress };
        Other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OtherKey);

        var sent = await Server.PostAsync("/v1/batch", """
            {"batch":[
              {"type":"page","anonymousId":"anon-jane","name":"Home","messageId":"j1","timestamp":"2026-03-01T09:00:00Z"},
              {"type":"identify","userId":"jane","messageId":"j2","timestamp":"2026-03-01T09:10:00Z",
               "traits":{"email":"Jane@Example.com","name":"Jane Doe","plan":"free","city":"Copenhagen"}},
              {"type":"identify","userId":"jane","anonymousId":"anon-jane","messageId":"j3","timestamp":"2026-03-01T09:20:00Z","traits":{"plan":"pro"}},
              {"type":"track","userId":"jane","event":"Order Completed","messageId":"j4","timestamp":"2026-03-01T09:30:00Z","properties":{"total":42}},
              {"type":"track","userId":"jane","event":"Order Completed","messageId":"j5","timestamp":"2026-03-01T09:40:00Z","properties":{"total":10}},
              {"type":"track","userId":"jane","event":"Product Viewed","messageId":"j6","timestamp":"2026-03-01T09:35:00Z","properties":{"sku":"A-1"}},
              {"type":"group","userId":"jane","groupId":"acme","messageId":"j7","timestamp":"2026-03-01T09:50:00Z","traits":{"name":"Acme Inc","plan":"enterprise"}},
              {"type":"identify","userId":"bob","messageId":"b1","timestamp":"2026-03-01T10:00:00Z",
               "traits":{"email":"bob+news@example.com","firstName":"Bob","lastName":"Builder"}},
              {"type":"group","userId":"bob","groupId":"acme","messageId":"b2","timestamp":"2026-03-01T10:05:00Z"}
            ]}
            """);
        sent.EnsureSuccessStatusCode();
        (await Server.PostAsync("/v1/identify", """{"userId":"jane","messageId":"o1","traits":{"email":"jane@example.com","plan":"other"}}""", "wk_other")).EnsureSuccessStatusCode();
        await Server.WaitForPipelineAsync();
    }

    public async Task DisposeAsync()
    {
        Other?.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>The body of a JSON answer.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>GETs with the admin key and returns the JSON body, failing on any status but 200.</summary>
    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Server.Admin.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await JsonAsync(response);
    }
}

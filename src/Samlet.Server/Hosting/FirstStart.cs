using Samlet.Sources;
using Samlet.Storage;

namespace Samlet.Server.Hosting;

/// <summary>On a fresh store, creates the default workspace with one source and an admin key, and says what the keys are.</summary>
internal static class FirstStart
{
    public static async Task<FirstStartKeys?> EnsureWorkspaceAsync(ICdpStore store, ServeSettings settings, TimeProvider time, CancellationToken cancellationToken)
    {
        if ((await store.Sources.ListWorkspacesAsync(cancellationToken)).Count > 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var workspace = new Workspace(Secrets.NewId("ws_"), "Default workspace", now);
        var writeKey = settings.InitialWriteKey ?? Secrets.NewKey("wk_");
        var adminKey = settings.InitialAdminKey ?? Secrets.NewKey("sk_");
        var source = new Source(Secrets.NewId("src_"), workspace.Id, "Default source", Secrets.Hash(writeKey), true, now);
        await store.Sources.CreateWorkspaceAsync(workspace, cancellationToken);
        await store.Sources.CreateSourceAsync(source, cancellationToken);
        await store.Sources.CreateApiKeyAsync(new ApiKey(Secrets.NewId("key_"), workspace.Id, "admin", Secrets.Hash(adminKey), now), cancellationToken);
        return new FirstStartKeys(workspace.Id, source.Id, writeKey, adminKey);
    }
}

/// <summary>The keys made at first start: shown once, stored only as hashes.</summary>
internal sealed record FirstStartKeys(string WorkspaceId, string SourceId, string WriteKey, string AdminKey);

using System.Net.Http.Headers;
using System.Text;

namespace Samlet.Server.Tests.Cli;

public sealed class ServeShutdownTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "samlet-stop-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_stopped_server_closes_its_store_and_leaves_no_write_ahead_log()
    {
        await using (var server = await SamletProcess.StartAsync(_data, "wk_stop", "sk_stop"))
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("wk_stop:"u8.ToArray()));
            using var body = new StringContent("""{"batch":[{"type":"track","event":"Stopped","userId":"u1","messageId":"m-stop"}]}""", Encoding.UTF8, "application/json");
            (await http.PostAsync("/v1/batch", body)).EnsureSuccessStatusCode();
            Assert.True(File.Exists(Path.Combine(_data, "samlet.db-wal")), "a running server writes through the log");

            Assert.Equal(0, await server.StopAsync());
        }

        // SQLite removes the log when the last connection closes: every connection was closed, the store disposed.
        Assert.False(File.Exists(Path.Combine(_data, "samlet.db-wal")));
        await using var again = await SamletProcess.StartAsync(_data, "wk_stop", "sk_stop");
        using var admin = new HttpClient { BaseAddress = again.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk_stop");
        Assert.Contains("m-stop", await admin.GetStringAsync("/api/events?limit=10"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}

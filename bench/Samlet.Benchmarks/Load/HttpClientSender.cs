namespace Samlet.Benchmarks.Load;

/// <summary>
/// The same requests through HttpClient/SocketsHttpHandler (<c>--client http</c>), kept to cross-check the raw client
/// and to measure what HttpClient itself costs. Workers share one client whose pool has one connection per worker.
/// </summary>
internal sealed class HttpClientSender(HttpClient client, Uri uri) : IRequestSender
{
    public static HttpClient CreateClient(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // the run's deadline cancels instead
    };

    public async ValueTask<int> SendAsync(PayloadRing.Template request, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(request.Body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        using var response = await client.SendAsync(message, cancellationToken);
        return (int)response.StatusCode;
    }

    public void Dispose()
    {
        // The shared client belongs to the run.
    }
}

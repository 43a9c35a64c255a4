namespace Samlet.Benchmarks.Load;

/// <summary>Sends one pre-built request and returns the HTTP status; one per worker. Throws on network failure.</summary>
internal interface IRequestSender : IDisposable
{
    ValueTask<int> SendAsync(PayloadRing.Template request, CancellationToken cancellationToken);
}

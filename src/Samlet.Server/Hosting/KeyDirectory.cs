using System.Collections.Concurrent;
using Samlet.Sources;
using Samlet.Storage;

namespace Samlet.Server.Hosting;

/// <summary>
/// Looks up sources by write key and API keys by key, caching answers for a few seconds so the hot path does not
/// query the store per request. Changes made through this instance apply at once; other instances see them within
/// a few seconds.
/// </summary>
internal sealed class KeyDirectory(ICdpStore store, TimeProvider time)
{
    private const int MaxCached = 10_000;
    private static readonly TimeSpan _cacheTime = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (Source? Source, DateTimeOffset Until)> _sources = new();
    private readonly ConcurrentDictionary<string, (ApiKey? Key, DateTimeOffset Until)> _apiKeys = new();

    public async ValueTask<Source?> FindSourceAsync(string writeKey, CancellationToken cancellationToken)
    {
        var hash = Secrets.Hash(writeKey);
        var now = time.GetUtcNow();
        if (_sources.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Source;
        }

        var source = await store.Sources.FindSourceByWriteKeyHashAsync(hash, cancellationToken);
        if (_sources.Count > MaxCached)
        {
            _sources.Clear(); // random keys from a scanner must not grow the cache without bound
        }

        _sources[hash] = (source, now + _cacheTime);
        return source;
    }

    public async ValueTask<ApiKey?> FindApiKeyAsync(string key, CancellationToken cancellationToken)
    {
        var hash = Secrets.Hash(key);
        var now = time.GetUtcNow();
        if (_apiKeys.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Key;
        }

        var apiKey = await store.Sources.FindApiKeyByHashAsync(hash, cancellationToken);
        if (_apiKeys.Count > MaxCached)
        {
            _apiKeys.Clear();
        }

        _apiKeys[hash] = (apiKey, now + _cacheTime);
        return apiKey;
    }

    /// <summary>Forgets cached sources after a source was disabled or its key rotated.</summary>
    public void Invalidate() => _sources.Clear();
}

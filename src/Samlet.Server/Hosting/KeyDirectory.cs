using System.Collections.Concurrent;
using Samlet.Sources;
using Samlet.Storage;

namespace Samlet.Server.Hosting;

/// <summary>
/// Looks up sources by write key and API keys by key, caching answers for a few seconds so the hot path does not
/// query the store per request. Changes made through this instance apply at once; other instances see them within
/// the cache time.
/// </summary>
internal sealed class KeyDirectory(ICdpStore store, TimeProvider time)
{
    private readonly HashCache<Source> _sources = new(time);
    private readonly HashCache<ApiKey> _apiKeys = new(time);

    public ValueTask<Source?> FindSourceAsync(string writeKey, CancellationToken cancellationToken) =>
        _sources.GetAsync(writeKey, store.Sources.FindSourceByWriteKeyHashAsync, cancellationToken);

    public ValueTask<ApiKey?> FindApiKeyAsync(string key, CancellationToken cancellationToken) =>
        _apiKeys.GetAsync(key, store.Sources.FindApiKeyByHashAsync, cancellationToken);

    /// <summary>Forgets cached sources after a source was disabled or its key rotated.</summary>
    public void Invalidate() => _sources.Clear();

    /// <summary>Answers (found or not) by key hash, each kept for five seconds.</summary>
    private sealed class HashCache<T>(TimeProvider time)
        where T : class
    {
        private const int MaxEntries = 10_000;
        private static readonly TimeSpan _keepFor = TimeSpan.FromSeconds(5);
        private readonly ConcurrentDictionary<string, (T? Value, DateTimeOffset Until)> _entries = new();

        public async ValueTask<T?> GetAsync(string key, Func<string, CancellationToken, Task<T?>> lookup, CancellationToken cancellationToken)
        {
            var hash = Secrets.Hash(key);
            var now = time.GetUtcNow();
            if (_entries.TryGetValue(hash, out var cached) && cached.Until > now)
            {
                return cached.Value;
            }

            var value = await lookup(hash, cancellationToken);
            if (_entries.Count > MaxEntries)
            {
                _entries.Clear(); // random keys from a scanner must not grow the cache without bound
            }

            _entries[hash] = (value, now + _keepFor);
            return value;
        }

        public void Clear() => _entries.Clear();
    }
}

using Samlet.Storage.Sqlite;

namespace Samlet.Storage.Tests.Sqlite;

/// <summary>The message-id window's hash set against <see cref="HashSet{T}"/>, with keys made to collide.</summary>
public sealed class KeySetTests
{
    [Theory]
    [InlineData(1, 6)] // 64 home slots for thousands of keys: long probe runs that wrap around the table's end
    [InlineData(2, 64)] // keys as the window's hashes spread them
    public void Answers_as_a_hash_set_does_through_adds_removals_growth_and_clears(int seed, int lowBits)
    {
        var random = new Random(seed);
        var set = new KeySet();
        var expected = new HashSet<UInt128>();
        var seen = new List<UInt128> { UInt128.Zero }; // stored as one, which no other key here is
        for (var step = 0; step < 200_000; step++)
        {
            var key = random.Next(3) == 0
                ? seen[random.Next(seen.Count)]
                : new UInt128((ulong)random.NextInt64(), lowBits == 64 ? (ulong)random.NextInt64() : (ulong)random.Next(1 << lowBits));
            seen.Add(key);
            switch (random.Next(10))
            {
                case < 5:
                    Assert.Equal(expected.Add(key), set.Add(key));
                    break;
                case < 8:
                    Assert.Equal(expected.Remove(key), set.Remove(key));
                    break;
                case < 9 when step % 50_000 == 0:
                    expected.Clear();
                    set.Clear();
                    break;
                default:
                    Assert.Equal(expected.Contains(key), set.Contains(key));
                    break;
            }

            Assert.Equal(expected.Count, set.Count);
        }

        Assert.All(seen, key => Assert.Equal(expected.Contains(key), set.Contains(key)));
    }
}

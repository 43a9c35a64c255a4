using Samlet.Profiles;

namespace Samlet.Core.Tests.Profiles;

/// <summary>The stored form of traits and audience entries: compact, and read back to the same instant to the tick.</summary>
public sealed class ProfileJsonTests
{
    private static readonly DateTimeOffset[] _instants =
    [
        new(2026, 1, 1, 0, 16, 36, 250, TimeSpan.Zero),
        new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567), // sent with an offset, sub-millisecond
        new(2026, 6, 30, 23, 59, 59, TimeSpan.Zero),
    ];

    [Fact]
    public void Trait_times_are_written_in_UTC_without_escapes_and_read_back_to_the_same_tick()
    {
        var traits = new TraitSet();
        for (var i = 0; i < _instants.Length; i++)
        {
            traits.Set($"k{i}", new TraitValue($"\"v{i}\"", _instants[i], "src_1", $"m{i}"));
        }

        var json = ProfileJson.WriteTraits(traits);
        Assert.DoesNotContain("\\u", json, StringComparison.Ordinal);
        Assert.Contains("\"t\":\"2026-01-01T00:16:36.25Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"t\":\"2026-03-01T07:30:00.1234567Z\"", json, StringComparison.Ordinal);

        var read = new TraitSet();
        ProfileJson.ReadTraits(json, read);
        for (var i = 0; i < _instants.Length; i++)
        {
            var value = read[$"k{i}"]!;
            Assert.Equal(_instants[i].UtcTicks, value.At.UtcTicks);
            Assert.Equal(TimeSpan.Zero, value.At.Offset);
            Assert.Equal(($"\"v{i}\"", "src_1", $"m{i}"), (value.Json, value.SourceId, value.MessageId));
        }
    }

    [Fact]
    public void Audience_entry_times_read_back_to_the_same_tick()
    {
        var profile = new ProfileState("prf_1", "ws", _instants[0]);
        profile.Audiences["vip"] = _instants[1];
        var read = new ProfileState("prf_1", "ws", _instants[0]);

        ProfileJson.ReadCounts(ProfileJson.WriteCounts(profile), read);

        Assert.Equal(_instants[1].UtcTicks, read.Audiences["vip"].UtcTicks);
    }

    [Fact]
    public void Traits_stored_in_the_earlier_round_trip_format_still_read()
    {
        var read = new TraitSet();
        ProfileJson.ReadTraits("""{"plan":{"v":"pro","t":"2026-03-01T09:30:00.0000000\u002B00:00","s":"src_1","m":"m30"}}""", read);

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero), read["plan"]!.At);
    }
}

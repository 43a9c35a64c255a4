using Samlet.Identity;

namespace Samlet.Core.Tests.Identity;

public sealed class ProfileIdsTests
{
    [Fact]
    public void An_id_is_a_function_of_the_creating_event_and_its_workspace()
    {
        var id = ProfileIds.For("ws", "src", "m1", 42);
        Assert.Equal(id, ProfileIds.For("ws", "src", "m1", 42));
        Assert.Matches("^prf_[a-z2-7]{20}$", id);
        Assert.NotEqual(id, ProfileIds.For("ws2", "src", "m1", 42));
        Assert.NotEqual(id, ProfileIds.For("ws", "src2", "m1", 42));
        Assert.NotEqual(id, ProfileIds.For("ws", "src", "m2", 42));
        Assert.NotEqual(id, ProfileIds.For("ws", "src", "m1", 43));
    }

    [Fact]
    public void Ids_stay_what_earlier_versions_derived_so_a_rebuild_keeps_them()
    {
        // Pinned: a change here changes every profile's id at the next rebuild (ADR 15 says what that costs users).
        Assert.Equal("prf_222222223eed4r6l3xwf", ProfileIds.For("ws", "src", "m1", 42));
        Assert.Equal("prf_2322222222udmsf76lgj", ProfileIds.For("ws_æ", "src", "m-ø", 1L << 40));
    }

    [Fact]
    public void Ids_sort_ordinally_in_the_order_of_their_events_log_positions_whatever_their_hashes()
    {
        var random = new Random(15);
        long[] edges = [0, 1, 31, 32, 33, 1023, 1024, 1L << 40, ProfileIds.MaxPosition - 1, ProfileIds.MaxPosition];
        var positions = edges.Concat(Enumerable.Range(0, 2_000).Select(_ => random.NextInt64(0, ProfileIds.MaxPosition))).Distinct().ToList();
        var ids = positions.Select(p => (Position: p, Id: ProfileIds.For("ws", "src", $"m{random.Next()}", p))).ToList();

        var byId = ids.OrderBy(i => i.Id, StringComparer.Ordinal).Select(i => i.Position);
        Assert.Equal(positions.Order(), byId);
    }

    [Fact]
    public void Positions_beyond_what_ten_characters_spell_keep_the_largest_prefix_and_stay_apart_by_their_hash()
    {
        var last = ProfileIds.For("ws", "src", "m1", ProfileIds.MaxPosition);
        var beyond = ProfileIds.For("ws", "src", "m2", long.MaxValue);
        Assert.Equal(last[..14], beyond[..14]);
        Assert.NotEqual(last, beyond);
    }
}

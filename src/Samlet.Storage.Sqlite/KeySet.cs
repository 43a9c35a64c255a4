namespace Samlet.Storage.Sqlite;

/// <summary>
/// A set of 128-bit hash keys in one array with linear probing. The keys are hashes already (uniformly spread), so
/// their low bits choose the slot, and a lookup in a set of millions costs one cache miss where
/// <c>HashSet&lt;UInt128&gt;</c> takes two (its buckets, then its entries): on a bulk import that miss was a third of
/// an append's time outside SQLite.
/// </summary>
internal sealed class KeySet
{
    private const int MinCapacity = 16;

    // Zero marks a free slot; a key of zero is stored as one (two of 2^128 values sharing a slot changes nothing here).
    private UInt128[] _slots = new UInt128[MinCapacity];

    public int Count { get; private set; }

    public bool Contains(UInt128 key) => _slots[Find(Stored(key))] != UInt128.Zero;

    /// <summary>Adds the key; false when it was there already.</summary>
    public bool Add(UInt128 key)
    {
        if ((Count + 1) * 10L > _slots.Length * 7L)
        {
            Grow();
        }

        key = Stored(key);
        var slot = Find(key);
        if (_slots[slot] == key)
        {
            return false;
        }

        _slots[slot] = key;
        Count++;
        return true;
    }

    /// <summary>Removes the key, moving back the keys after it that probed past its slot (no tombstones).</summary>
    public bool Remove(UInt128 key)
    {
        var mask = _slots.Length - 1;
        var hole = Find(Stored(key));
        if (_slots[hole] == UInt128.Zero)
        {
            return false;
        }

        for (var next = (hole + 1) & mask; _slots[next] != UInt128.Zero; next = (next + 1) & mask)
        {
            // A key may fill the hole when its home slot is not in the cyclic range (hole, next].
            var home = SlotOf(_slots[next], mask);
            if (((next - home) & mask) >= ((next - hole) & mask))
            {
                _slots[hole] = _slots[next];
                hole = next;
            }
        }

        _slots[hole] = UInt128.Zero;
        Count--;
        return true;
    }

    /// <summary>Empties the set and keeps its capacity, as the set fills again to about the same size.</summary>
    public void Clear()
    {
        Array.Clear(_slots);
        Count = 0;
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new UInt128[old.Length * 2];
        foreach (var key in old)
        {
            if (key != UInt128.Zero)
            {
                _slots[Find(key)] = key;
            }
        }
    }

    /// <summary>The key's slot, or the free slot where its probe ends.</summary>
    private int Find(UInt128 key)
    {
        var mask = _slots.Length - 1;
        var i = SlotOf(key, mask);
        while (_slots[i] != key && _slots[i] != UInt128.Zero)
        {
            i = (i + 1) & mask;
        }

        return i;
    }

    private static UInt128 Stored(UInt128 key) => key == UInt128.Zero ? UInt128.One : key;

    private static int SlotOf(UInt128 key, int mask) => (int)(ulong)key & mask;
}

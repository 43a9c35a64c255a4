namespace Samlet.Analytics.Baskets;

/// <summary>
/// An FP-tree in flat arrays. Items are frequency ranks (0 = most frequent in the whole data set) and every path is
/// inserted in increasing rank order, so shared prefixes of frequent items share nodes. Node 0 is the root. The
/// nodes of one item are chained from <see cref="Head"/> through <see cref="NextSameItem"/>.
/// </summary>
internal sealed class FpTree
{
    private int[] _item;
    private int[] _count;
    private int[] _parent;
    private int[] _firstChild;
    private int[] _nextSibling;
    private int[] _nextSameItem;
    private int _size;

    public FpTree(int itemCount, int capacity)
    {
        capacity = Math.Max(capacity, 16);
        _item = new int[capacity];
        _count = new int[capacity];
        _parent = new int[capacity];
        _firstChild = new int[capacity];
        _nextSibling = new int[capacity];
        _nextSameItem = new int[capacity];
        ItemCount = itemCount;
        Head = new int[itemCount];
        Array.Fill(Head, -1);
        Total = new int[itemCount];
        _item[0] = -1;
        _parent[0] = -1;
        _firstChild[0] = -1;
        _nextSibling[0] = -1;
        _size = 1;
    }

    /// <summary>Number of item ranks this tree may hold (ranks 0 .. ItemCount - 1).</summary>
    public int ItemCount { get; }

    /// <summary>First node of each item's chain, -1 when the item is absent.</summary>
    public int[] Head { get; }

    /// <summary>Summed count of each item over the tree.</summary>
    public int[] Total { get; }

    public int NodeCount => _size;

    public int Item(int node) => _item[node];

    public int Count(int node) => _count[node];

    public int Parent(int node) => _parent[node];

    public int NextSameItem(int node) => _nextSameItem[node];

    /// <summary>Adds a path of strictly increasing ranks with the given multiplicity.</summary>
    public void Insert(ReadOnlySpan<int> ranks, int count)
    {
        var node = 0;
        foreach (var rank in ranks)
        {
            var child = _firstChild[node];
            while (child >= 0 && _item[child] != rank)
            {
                child = _nextSibling[child];
            }

            if (child < 0)
            {
                child = AddNode(node, rank);
            }

            _count[child] += count;
            Total[rank] += count;
            node = child;
        }
    }

    private int AddNode(int parent, int rank)
    {
        if (_size == _item.Length)
        {
            Grow();
        }

        var node = _size++;
        _item[node] = rank;
        _count[node] = 0;
        _parent[node] = parent;
        _firstChild[node] = -1;
        _nextSibling[node] = _firstChild[parent];
        _firstChild[parent] = node;
        _nextSameItem[node] = Head[rank];
        Head[rank] = node;
        return node;
    }

    private void Grow()
    {
        var capacity = _item.Length * 2;
        Array.Resize(ref _item, capacity);
        Array.Resize(ref _count, capacity);
        Array.Resize(ref _parent, capacity);
        Array.Resize(ref _firstChild, capacity);
        Array.Resize(ref _nextSibling, capacity);
        Array.Resize(ref _nextSameItem, capacity);
    }
}

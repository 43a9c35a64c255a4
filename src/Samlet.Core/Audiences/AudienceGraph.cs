namespace Samlet.Audiences;

/// <summary>
/// The audiences of a workspace checked together: memberOf of an unknown audience, computed conditions on unknown
/// computed traits, and memberOf cycles; their evaluation order (dependencies first) and each one's dependencies.
/// </summary>
public sealed class AudienceGraph
{
    private readonly Dictionary<string, AudienceDefinition> _audiences;

    private AudienceGraph(Dictionary<string, AudienceDefinition> audiences, IReadOnlyList<AudienceProblem> problems,
        IReadOnlyList<AudienceDefinition> order, IReadOnlyDictionary<string, AudienceDependencies> dependencies)
    {
        _audiences = audiences;
        Problems = problems;
        Order = order;
        Dependencies = dependencies;
    }

    /// <summary>Every problem, audiences in key order.</summary>
    public IReadOnlyList<AudienceProblem> Problems { get; }

    /// <summary>
    /// Every audience, each after the audiences it is a member of. Audiences on a cycle (a problem) come in key order
    /// where their cycle falls.
    /// </summary>
    public IReadOnlyList<AudienceDefinition> Order { get; }

    public IReadOnlyDictionary<string, AudienceDependencies> Dependencies { get; }

    public IReadOnlyCollection<AudienceDefinition> Audiences => _audiences.Values;

    /// <summary>The problems of one audience, as definition problems (for the answer to whoever saved it).</summary>
    public IReadOnlyList<DefinitionProblem> ProblemsOf(string audienceKey) =>
        [.. Problems.Where(p => p.AudienceKey == audienceKey).Select(p => p.ToDefinitionProblem())];

    /// <summary>
    /// Checks <paramref name="audiences"/> (with <paramref name="candidate"/> added, or replacing the audience of the
    /// same key) against each other and against <paramref name="computedTraitKeys"/>.
    /// </summary>
    public static AudienceGraph Build(IEnumerable<AudienceDefinition> audiences, IEnumerable<string> computedTraitKeys, AudienceDefinition? candidate = null)
    {
        var byKey = new Dictionary<string, AudienceDefinition>(StringComparer.Ordinal);
        foreach (var audience in audiences)
        {
            byKey[audience.Key] = audience;
        }

        if (candidate is not null)
        {
            byKey[candidate.Key] = candidate;
        }

        var computed = computedTraitKeys.ToHashSet(StringComparer.Ordinal);
        var keys = byKey.Keys.Order(StringComparer.Ordinal).ToArray();
        var problems = new List<AudienceProblem>();

        // Edges: audience → the known audiences it is a member of, with the pointer of each memberOf node.
        var edges = new Dictionary<string, List<(string Target, string Path)>>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var list = edges[key] = [];
            foreach (var (node, path) in ConditionPaths.Walk(byKey[key].Condition))
            {
                switch (node)
                {
                    case MemberOfCondition m when byKey.ContainsKey(m.AudienceKey):
                        list.Add((m.AudienceKey, ConditionPaths.KindPath(node, path)));
                        break;
                    case MemberOfCondition m:
                        problems.Add(new(key, ConditionPaths.KindPath(node, path),
                            $"unknown audience '{m.AudienceKey}'; memberOf needs the key of an audience of this workspace"));
                        break;
                    case ComputedTraitCondition c when !computed.Contains(c.Key):
                        problems.Add(new(key, ConditionPaths.KindPath(node, path),
                            $"unknown computed trait '{c.Key}'; define it first"));
                        break;
                }
            }
        }

        var order = new List<AudienceDefinition>();
        foreach (var component in StronglyConnected(keys, edges))
        {
            var cyclic = component.Count > 1 || edges[component[0]].Any(e => e.Target == component[0]);
            component.Sort(StringComparer.Ordinal);
            foreach (var key in component)
            {
                order.Add(byKey[key]);
                if (cyclic)
                {
                    var (cycle, path) = ShortestCycle(key, edges, component.ToHashSet(StringComparer.Ordinal));
                    problems.Add(new(key, path, $"audience cycle: {string.Join(" → ", cycle)}"));
                }
            }
        }

        var dependencies = keys.ToDictionary(k => k, k => AudienceDependencies.Of(byKey[k].Condition), StringComparer.Ordinal);
        var sorted = problems.OrderBy(p => p.AudienceKey, StringComparer.Ordinal).ThenBy(p => p.Path, StringComparer.Ordinal).ToList();
        return new AudienceGraph(byKey, sorted, order, dependencies);
    }

    // Tarjan's algorithm: components come out after every component they reach, so dependencies come first.
    private static List<List<string>> StronglyConnected(string[] keys, Dictionary<string, List<(string Target, string Path)>> edges)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var components = new List<List<string>>();

        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var (w, _) in edges[v])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                components.Add(component);
            }
        }

        foreach (var key in keys)
        {
            if (!index.ContainsKey(key))
            {
                Visit(key);
            }
        }

        return components;
    }

    // Breadth-first from the start's memberOf targets back to the start, inside its component.
    private static (List<string> Cycle, string Path) ShortestCycle(string start, Dictionary<string, List<(string Target, string Path)>> edges, HashSet<string> component)
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(start);
        while (queue.TryDequeue(out var v))
        {
            foreach (var (w, _) in edges[v])
            {
                if (!component.Contains(w) || parent.ContainsKey(w))
                {
                    continue;
                }

                parent[w] = v;
                if (w == start)
                {
                    queue.Clear();
                    break;
                }

                queue.Enqueue(w);
            }
        }

        var cycle = new List<string> { start };
        for (var v = parent[start]; v != start; v = parent[v])
        {
            cycle.Add(v);
        }

        cycle.Add(start);
        cycle.Reverse();
        var first = cycle[1];
        var path = edges[start].First(e => e.Target == first).Path;
        return (cycle, path);
    }
}

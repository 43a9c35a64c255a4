using Samlet.Audiences;
using Samlet.Storage;

namespace Samlet.Server.Audiences;

/// <summary>
/// A workspace's stored computed traits and audiences, parsed (they were checked when they were stored), by key: what
/// the definitions API checks a new definition against, and what previews run with.
/// </summary>
internal sealed class DefinitionCatalog
{
    private DefinitionCatalog(long version, SortedDictionary<string, (StoredDefinition Stored, ComputedTraitDefinition Definition)> computedTraits,
        SortedDictionary<string, (StoredDefinition Stored, AudienceDefinition Definition)> audiences)
    {
        Version = version;
        ComputedTraits = computedTraits;
        Audiences = audiences;
    }

    public long Version { get; }

    public IReadOnlyDictionary<string, (StoredDefinition Stored, ComputedTraitDefinition Definition)> ComputedTraits { get; }

    public IReadOnlyDictionary<string, (StoredDefinition Stored, AudienceDefinition Definition)> Audiences { get; }

    public static async Task<DefinitionCatalog> LoadAsync(ICdpStore store, string workspaceId, CancellationToken cancellationToken)
    {
        var version = await store.Audiences.GetDefinitionsVersionAsync(workspaceId, cancellationToken);
        var computed = new SortedDictionary<string, (StoredDefinition, ComputedTraitDefinition)>(StringComparer.Ordinal);
        var audiences = new SortedDictionary<string, (StoredDefinition, AudienceDefinition)>(StringComparer.Ordinal);
        foreach (var stored in await store.Audiences.ListDefinitionsAsync(workspaceId, cancellationToken))
        {
            if (stored.Kind == DefinitionKind.ComputedTrait)
            {
                computed[stored.Key] = (stored, DefinitionParser.ParseComputedTrait(stored.Json).Value);
            }
            else
            {
                audiences[stored.Key] = (stored, DefinitionParser.ParseAudience(stored.Json).Value);
            }
        }

        return new DefinitionCatalog(version, computed, audiences);
    }

    /// <summary>The definitions as the pipeline runs them.</summary>
    public WorkspaceDefinitions ToWorkspaceDefinitions() =>
        new(Version, [.. ComputedTraits.Values.Select(c => c.Definition)], [.. Audiences.Values.Select(a => a.Definition)]);

    /// <summary>
    /// Parses an audience and checks it against the workspace's other definitions (unknown <c>memberOf</c> or
    /// <c>computed</c> keys, cycles); every problem is listed.
    /// </summary>
    public Parsed<AudienceDefinition> CheckAudience(string json)
    {
        var parsed = DefinitionParser.ParseAudience(json);
        if (parsed.Definition is not { } candidate)
        {
            return parsed;
        }

        var graph = AudienceGraph.Build(Audiences.Values.Select(a => a.Definition), ComputedTraits.Keys, candidate);
        var problems = graph.ProblemsOf(candidate.Key);
        return problems.Count == 0 ? parsed : new Parsed<AudienceDefinition>(null, problems);
    }

    /// <summary>The audiences (other than <paramref name="except"/>) whose conditions name the computed trait or audience <paramref name="key"/>.</summary>
    public IReadOnlyList<string> UsersOf(DefinitionKind kind, string key, string? except = null) =>
        [.. Audiences.Values
            .Where(a => a.Definition.Key != except)
            .Where(a =>
            {
                var dependencies = AudienceDependencies.Of(a.Definition.Condition);
                return kind == DefinitionKind.ComputedTrait ? dependencies.ComputedKeys.Contains(key) : dependencies.MemberOf.Contains(key);
            })
            .Select(a => a.Definition.Key)];
}

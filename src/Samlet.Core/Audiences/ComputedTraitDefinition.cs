namespace Samlet.Audiences;

/// <summary>A workspace's computed trait: the aggregate stored on every profile under the trait key <see cref="Key"/>.</summary>
public sealed record ComputedTraitDefinition(string Key, string Name, AggregateSpec Aggregate);

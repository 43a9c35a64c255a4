namespace Samlet.Audiences;

/// <summary>A condition on a value in the event payload at a dotted <see cref="Path"/> such as <c>properties.category</c>.</summary>
public sealed record PropertyCondition(string Path, Comparison Comparison);

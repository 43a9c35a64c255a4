using Samlet.Events;

namespace Samlet.Ingestion;

/// <summary>The outcome of normalising one message: exactly one of the two is set.</summary>
public readonly record struct NormalizedEvent(CollectedEvent? Accepted, RejectedEvent? Rejected);

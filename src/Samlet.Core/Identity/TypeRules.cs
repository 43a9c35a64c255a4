namespace Samlet.Identity;

/// <summary>The compiled rule of one identifier type: priority, limit, blocked values and patterns, extra paths.</summary>
internal sealed class TypeRules(
    string type,
    int priority,
    int? limit,
    TimeSpan? window,
    HashSet<string> blockedValues,
    BlockedPattern[] blockedPatterns,
    string[][] paths)
{
    public string Type { get; } = type;

    public int Priority { get; } = priority;

    public bool HasLimit => Limit is not null;

    public int? Limit { get; } = limit;

    public TimeSpan? Window { get; } = window;

    /// <summary>Extra paths to read values from, split into segments.</summary>
    public string[][] Paths { get; } = paths;

    /// <summary>Whether a normalised value is blocked; <paramref name="blockedBy"/> names the listed value or the pattern.</summary>
    public bool IsBlocked(string value, out string? blockedBy)
    {
        if (blockedValues.TryGetValue(value, out var listed))
        {
            blockedBy = "listed value '" + listed + "'";
            return true;
        }

        foreach (var pattern in blockedPatterns)
        {
            // No match timeout: NonBacktracking runs in time linear in the value (at most 256 characters), and a timeout
            // would make the outcome depend on the machine's load, so that rebuild and live processing could disagree.
            if (pattern.Regex.IsMatch(value))
            {
                blockedBy = "pattern '" + pattern.Text + "'";
                return true;
            }
        }

        blockedBy = null;
        return false;
    }

    /// <summary>Whether a held value counts towards the limit for an event at <paramref name="time"/>.</summary>
    public bool Counts(DateTimeOffset addedAt, DateTimeOffset time) =>
        Window is not { } window || (addedAt > time - window && addedAt <= time);
}

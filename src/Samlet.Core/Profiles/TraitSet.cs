using System.Text.Json;

namespace Samlet.Profiles;

/// <summary>Traits by key, each with its lineage; merging keeps, per key, the value of the latest event.</summary>
public sealed class TraitSet
{
    private readonly Dictionary<string, TraitValue> _values = new(StringComparer.Ordinal);

    public int Count => _values.Count;

    public IEnumerable<KeyValuePair<string, TraitValue>> Values => _values;

    /// <summary>The same, for <see cref="ProfileJson"/>'s writing without enumerator allocations.</summary>
    internal Dictionary<string, TraitValue> Entries => _values;

    public TraitValue? this[string key] => _values.TryGetValue(key, out var value) ? value : null;

    /// <summary>Sets <paramref name="key"/> unless it holds a value from a later event.</summary>
    public void Set(string key, TraitValue value)
    {
        if (!_values.TryGetValue(key, out var current) || value.Supersedes(current))
        {
            _values[key] = value;
        }
    }

    /// <summary>Sets every property of a JSON object, as of one event.</summary>
    public void SetAll(JsonElement traits, DateTimeOffset at, string sourceId, string messageId)
    {
        if (traits.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in traits.EnumerateObject())
        {
            // SDKs repeat context.traits on every event: compare lineage first, copy the value only when it wins.
            if (!_values.TryGetValue(property.Name, out var current) || TraitValue.Supersedes(at, sourceId, messageId, current))
            {
                _values[property.Name] = new TraitValue(property.Value.GetRawText(), at, sourceId, messageId);
            }
        }
    }

    public void MergeFrom(TraitSet other)
    {
        foreach (var (key, value) in other._values)
        {
            Set(key, value);
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Samlet.Events;

namespace Samlet.Audiences;

/// <summary>
/// An aggregation of an event property (or of events, for <see cref="Aggregation.Count"/>) over the events
/// <see cref="Filter"/> lets through, within <see cref="Window"/> before now (null: all time). Computed traits are named
/// aggregates; an audience's behavioural conditions are unnamed count aggregates, kept the same way.
/// Two specs are equal when their <see cref="Fingerprint"/>s are: the same definition, however it was spelled.
/// </summary>
public sealed record AggregateSpec(Aggregation Aggregation, string? Property, EventFilter Filter, TimeSpan? Window)
{
    private string? _fingerprint;

    // A `with` copy must not carry the cached fingerprint of the original.
    private AggregateSpec(AggregateSpec original)
    {
        Aggregation = original.Aggregation;
        Property = original.Property;
        Filter = original.Filter;
        Window = original.Window;
    }

    /// <summary>
    /// Whether folding in an event of this type and name reads its payload: only when the filter takes such events and
    /// has property conditions, or a property is aggregated (<see cref="AggregateState.Observe"/>); counts read nothing.
    /// </summary>
    public bool ReadsPayloadOf(EventType type, string? eventName) =>
        (Filter.Where.Count > 0 || Property is not null) && Filter.Takes(type, eventName);

    /// <summary>A stable short hash of the canonical definition: two equal specs share it, whatever their JSON spelling.</summary>
    public string Fingerprint => _fingerprint ??= Hash(CanonicalText);

    /// <summary>The text <see cref="Fingerprint"/> hashes: every semantic part, in a fixed order, culture-independent.</summary>
    public string CanonicalText
    {
        get
        {
            var sb = new StringBuilder("aggregate/1");
            sb.Append("|aggregation=").Append(Aggregation.ToString());
            sb.Append("|property=").Append(Property is null ? "-" : Comparison.Quote(Property));
            sb.Append("|type=").Append(Filter.Type is { } type ? type.ToWire() : "-");
            sb.Append("|event=").Append(Filter.EventName is null ? "-" : Comparison.Quote(Filter.EventName));
            sb.Append("|where=[");
            for (var i = 0; i < Filter.Where.Count; i++)
            {
                sb.Append(i == 0 ? "" : ";").Append(Comparison.Quote(Filter.Where[i].Path)).Append(' ').Append(Filter.Where[i].Comparison.CanonicalText);
            }

            sb.Append("]|window=").Append(Window is { } w ? ((long)w.TotalSeconds).ToString(CultureInfo.InvariantCulture) : "-");
            return sb.ToString();
        }
    }

    public bool Equals(AggregateSpec? other) =>
        other is not null && (ReferenceEquals(this, other) || string.Equals(Fingerprint, other.Fingerprint, StringComparison.Ordinal));

    public override int GetHashCode() => Fingerprint.GetHashCode(StringComparison.Ordinal);

    private static string Hash(string text)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return Convert.ToHexStringLower(digest[..8]);
    }
}

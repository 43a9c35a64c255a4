using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Samlet.Audiences;

/// <summary>
/// What a profile keeps to answer one aggregate at any time: for a rolling window, every matching event's time and
/// value (pruned as the window slides); for all time, running totals. Both are functions of the set of events folded
/// in — not of their order, nor of how they were split between merged profiles — so live processing, merges and a
/// rebuild agree. Sums are decimal so that adding in another order gives the same result.
/// </summary>
public sealed class AggregateState
{
    private readonly List<Contribution> _window = [];
    private readonly Dictionary<string, long> _frequencies = new(StringComparer.Ordinal);
    private long _count;
    private long _numbers;
    private decimal _sum;
    private decimal? _min;
    private decimal? _max;
    private Contribution? _first;
    private Contribution? _last;

    public AggregateState(AggregateSpec spec) => Spec = spec;

    public AggregateSpec Spec { get; }

    private bool Windowed => Spec.Window is not null;

    /// <summary>Folds in one event of the profile if the spec's filter takes it; returns whether it did.</summary>
    public bool Observe(Events.StoredEvent e, JsonElement payload, DateTimeOffset now)
    {
        if (Windowed && e.Timestamp < now - Spec.Window!.Value)
        {
            return false;
        }

        if (!Spec.Filter.Matches(e, payload))
        {
            return false;
        }

        string? value = null;
        if (Spec.Property is { } path)
        {
            if (PayloadPath.Resolve(payload, path) is not { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } element)
            {
                return false;
            }

            value = Canonical(element);
        }

        Add(new Contribution(e.Timestamp, e.SourceId + " " + e.MessageId, value));
        return true;
    }

    /// <summary>Takes in the state of a merged-away profile for the same spec.</summary>
    public void Absorb(AggregateState other)
    {
        foreach (var c in other._window)
        {
            Add(c);
        }

        if (Windowed)
        {
            return;
        }

        _count += other._count;
        _numbers += other._numbers;
        _sum += other._sum;
        _min = Lesser(_min, other._min);
        _max = Greater(_max, other._max);
        _first = Earlier(_first, other._first);
        _last = Later(_last, other._last);
        foreach (var (key, count) in other._frequencies)
        {
            _frequencies[key] = _frequencies.GetValueOrDefault(key) + count;
        }
    }

    /// <summary>Drops window entries that slid out before <paramref name="now"/>.</summary>
    public void Prune(DateTimeOffset now)
    {
        if (Windowed)
        {
            var start = now - Spec.Window!.Value;
            _window.RemoveAll(c => c.At < start);
        }
    }

    /// <summary>The earliest time the value changes with no new event: when the oldest window entry slides out.</summary>
    public DateTimeOffset? NextExpiry()
    {
        if (!Windowed || _window.Count == 0)
        {
            return null;
        }

        var oldest = _window[0].At;
        foreach (var c in _window)
        {
            if (c.At < oldest)
            {
                oldest = c.At;
            }
        }

        return oldest + Spec.Window!.Value + TimeSpan.FromTicks(1);
    }

    /// <summary>The event times (UTC ticks, ascending) a rolling window holds.</summary>
    public long[] EntryTimes()
    {
        var times = new long[_window.Count];
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = _window[i].At.UtcTicks;
        }

        Array.Sort(times);
        return times;
    }

    /// <summary>The number of events in the aggregate at <paramref name="now"/>.</summary>
    public long Count(DateTimeOffset now)
    {
        if (!Windowed)
        {
            return _count;
        }

        var start = now - Spec.Window!.Value;
        long count = 0;
        foreach (var c in _window)
        {
            if (c.At >= start)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The aggregate's value at <paramref name="now"/> as JSON (null: no value, e.g. the max of no numbers).</summary>
    public string? Value(DateTimeOffset now)
    {
        if (!Windowed)
        {
            return Value(this);
        }

        var current = new AggregateState(Spec with { Window = null });
        var start = now - Spec.Window!.Value;
        foreach (var c in _window)
        {
            if (c.At >= start)
            {
                current.Add(c);
            }
        }

        return Value(current);
    }

    private static string? Value(AggregateState s) => s.Spec.Aggregation switch
    {
        Aggregation.Count => s._count.ToString(CultureInfo.InvariantCulture),
        Aggregation.Sum => Number(s._sum),
        Aggregation.Min => s._min is { } min ? Number(min) : null,
        Aggregation.Max => s._max is { } max ? Number(max) : null,
        Aggregation.Average => s._numbers == 0 ? null : Number(Math.Round(s._sum / s._numbers, 10)),
        Aggregation.First => s._first?.Value,
        Aggregation.Last => s._last?.Value,
        Aggregation.MostFrequent => s._frequencies.Count == 0 ? null : s._frequencies
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).First().Key,
        Aggregation.DistinctValues => "[" + string.Join(",", s._frequencies.Keys.Order(StringComparer.Ordinal)) + "]",
        Aggregation.DistinctCount => s._frequencies.Count.ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    private void Add(Contribution c)
    {
        if (Windowed)
        {
            _window.Add(c);
            return;
        }

        _count++;
        if (c.Value is { } value)
        {
            if (TryNumber(value, out var number))
            {
                _numbers++;
                _sum += number;
                _min = Lesser(_min, number);
                _max = Greater(_max, number);
            }

            _frequencies[value] = _frequencies.GetValueOrDefault(value) + 1;
        }

        _first = Earlier(_first, c);
        _last = Later(_last, c);
    }

    /// <summary>Writes the state (not the spec) as a JSON value.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Windowed)
        {
            writer.WriteStartArray("w"u8);
            foreach (var c in _window.OrderBy(c => c.At).ThenBy(c => c.Order, StringComparer.Ordinal))
            {
                WriteContribution(writer, c);
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNumber("n"u8, _count);
            writer.WriteNumber("k"u8, _numbers);
            writer.WriteString("sum"u8, Number(_sum));
            if (_min is { } min)
            {
                writer.WriteString("min"u8, Number(min));
            }

            if (_max is { } max)
            {
                writer.WriteString("max"u8, Number(max));
            }

            if (_first is { } first)
            {
                writer.WritePropertyName("first"u8);
                WriteContribution(writer, first);
            }

            if (_last is { } last)
            {
                writer.WritePropertyName("last"u8);
                WriteContribution(writer, last);
            }

            writer.WriteStartObject("freq"u8);
            foreach (var (key, count) in _frequencies.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteNumber(key, count);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    public static AggregateState Read(AggregateSpec spec, JsonElement json)
    {
        var state = new AggregateState(spec);
        if (state.Windowed)
        {
            if (json.TryGetProperty("w"u8, out var window))
            {
                foreach (var entry in window.EnumerateArray())
                {
                    state._window.Add(ReadContribution(entry));
                }
            }

            return state;
        }

        state._count = json.GetProperty("n"u8).GetInt64();
        state._numbers = json.GetProperty("k"u8).GetInt64();
        state._sum = decimal.Parse(json.GetProperty("sum"u8).GetString()!, CultureInfo.InvariantCulture);
        state._min = json.TryGetProperty("min"u8, out var min) ? decimal.Parse(min.GetString()!, CultureInfo.InvariantCulture) : null;
        state._max = json.TryGetProperty("max"u8, out var max) ? decimal.Parse(max.GetString()!, CultureInfo.InvariantCulture) : null;
        state._first = json.TryGetProperty("first"u8, out var first) ? ReadContribution(first) : null;
        state._last = json.TryGetProperty("last"u8, out var last) ? ReadContribution(last) : null;
        foreach (var property in json.GetProperty("freq"u8).EnumerateObject())
        {
            state._frequencies[property.Name] = property.Value.GetInt64();
        }

        return state;
    }

    private static void WriteContribution(Utf8JsonWriter writer, Contribution c)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(c.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteStringValue(c.Order);
        if (c.Value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(c.Value);
        }

        writer.WriteEndArray();
    }

    private static Contribution ReadContribution(JsonElement entry) =>
        new(entry[0].GetDateTimeOffset(), entry[1].GetString()!, entry[2].ValueKind == JsonValueKind.Null ? null : entry[2].GetString());

    /// <summary>One text per distinct value: numbers without trailing zeros (2.0 is 2), everything else as compact JSON.</summary>
    private static string Canonical(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
        {
            return Number(number);
        }

        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Number(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static bool TryNumber(string canonical, out decimal number)
    {
        number = 0;
        return canonical.Length > 0 && (char.IsAsciiDigit(canonical[0]) || canonical[0] == '-') &&
               decimal.TryParse(canonical, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    private static decimal? Lesser(decimal? a, decimal? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    private static decimal? Greater(decimal? a, decimal? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static Contribution? Earlier(Contribution? a, Contribution? b) => a is null ? b : b is null ? a : Compare(a, b) <= 0 ? a : b;

    private static Contribution? Later(Contribution? a, Contribution? b) => a is null ? b : b is null ? a : Compare(a, b) >= 0 ? a : b;

    private static int Compare(Contribution a, Contribution b)
    {
        var byTime = a.At.CompareTo(b.At);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Order, b.Order);
    }

    /// <summary>One folded event: its time, a total order among events of equal time (source and messageId), its canonical value.</summary>
    private sealed record Contribution(DateTimeOffset At, string Order, string? Value);
}

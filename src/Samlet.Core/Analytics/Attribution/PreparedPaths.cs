namespace Samlet.Analytics.Attribution;

/// <summary>
/// Validated paths with channels encoded as indexes into <see cref="Channels"/> (sorted ordinally), blank channel
/// names mapped to <see cref="AttributionAnalysis.UnknownChannel"/>, and an empty path treated as one unknown touch
/// so that its conversions are still attributed and every model preserves the total.
/// </summary>
internal sealed class PreparedPaths
{
    private PreparedPaths(string[] channels, PreparedPath[] paths)
    {
        Channels = channels;
        Paths = paths;
        TotalConversions = paths.Sum(path => path.Conversions);
        TotalConversionValue = paths.Sum(path => path.ConversionValue);
        TotalNulls = paths.Sum(path => path.Nulls);
    }

    public string[] Channels { get; }

    public PreparedPath[] Paths { get; }

    public double TotalConversions { get; }

    public double TotalConversionValue { get; }

    public double TotalNulls { get; }

    public static PreparedPaths Prepare(IReadOnlyList<ConversionPath> paths, AttributionOptions options)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (paths.Count == 0)
        {
            throw new ArgumentException("There are no paths to attribute.", nameof(paths));
        }

        var names = new List<string[]>(paths.Count);
        var distinct = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < paths.Count; i++)
        {
            var path = paths[i] ?? throw new ArgumentException($"Path {i + 1} is null.", nameof(paths));
            CheckCount(path.Conversions, "conversions", i);
            CheckCount(path.ConversionValue, "conversion value", i);
            CheckCount(path.Nulls, "nulls", i);
            if (path.Channels is null)
            {
                throw new ArgumentException($"Path {i + 1} has no channel list.", nameof(paths));
            }

            if (path.TouchTimes is not null && path.TouchTimes.Count != path.Channels.Count)
            {
                throw new ArgumentException(
                    $"Path {i + 1} has {path.Channels.Count} channels but {path.TouchTimes.Count} touch times.", nameof(paths));
            }

            string[] channels = path.Channels.Count == 0
                ? [AttributionAnalysis.UnknownChannel]
                : [.. path.Channels.Select(name => string.IsNullOrWhiteSpace(name) ? AttributionAnalysis.UnknownChannel : name.Trim())];
            distinct.UnionWith(channels);
            names.Add(channels);
        }

        var channelList = distinct.ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < channelList.Length; i++)
        {
            index.Add(channelList[i], i);
        }

        var prepared = new PreparedPath[paths.Count];
        for (var i = 0; i < paths.Count; i++)
        {
            var touches = Array.ConvertAll(names[i], name => index[name]);
            prepared[i] = new PreparedPath(touches, paths[i].Conversions, paths[i].ConversionValue, paths[i].Nulls, Ages(paths[i], touches.Length, options));
        }

        return new PreparedPaths(channelList, prepared);
    }

    /// <summary>Age of each touch in half-lives: real time before the conversion when known, else touches from the end.</summary>
    private static double[] Ages(ConversionPath path, int touchCount, AttributionOptions options)
    {
        var ages = new double[touchCount];
        if (path.TouchTimes is { Count: > 0 } times)
        {
            var reference = path.ConvertedAt ?? times.Max();
            for (var i = 0; i < touchCount; i++)
            {
                // A touch stamped after the conversion (clock skew) counts as being at the conversion.
                ages[i] = Math.Max(0, (reference - times[i]) / options.HalfLife);
            }

            return ages;
        }

        for (var i = 0; i < touchCount; i++)
        {
            ages[i] = (touchCount - 1 - i) / options.HalfLifeInTouches;
        }

        return ages;
    }

    private static void CheckCount(double value, string what, int index)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentException($"Path {index + 1} has {what} {value}; it must be a finite number >= 0.", "paths");
        }
    }
}

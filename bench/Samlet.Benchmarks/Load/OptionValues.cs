using System.Globalization;

namespace Samlet.Benchmarks.Load;

/// <summary>Parses the values of the load tools' command-line options, naming the option in every error.</summary>
internal static class OptionValues
{
    /// <summary>Folds <c>--name value</c> pairs into <paramref name="defaults"/> with <paramref name="apply"/>.</summary>
    /// <exception cref="ArgumentException">An option has no value, or <paramref name="apply"/> refuses it.</exception>
    public static T Parse<T>(string[] args, T defaults, Func<T, string, string, T> apply)
    {
        var options = defaults;
        for (var i = 0; i < args.Length; i += 2)
        {
            var name = args[i];
            options = apply(options, name, i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value."));
        }

        return options;
    }

    /// <exception cref="ArgumentException">The value is not a positive number.</exception>
    public static double Number(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0
            ? d
            : throw new ArgumentException($"{name} needs a positive number, not '{value}'.");

    /// <exception cref="ArgumentException">The value is not a positive whole number.</exception>
    public static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} needs a positive whole number, not '{value}'.");

    /// <exception cref="ArgumentException">The value is not a positive number of seconds.</exception>
    public static TimeSpan Seconds(string name, string value) => TimeSpan.FromSeconds(Number(name, value));
}

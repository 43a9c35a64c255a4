using System.Globalization;

namespace Samlet.Benchmarks.Load;

/// <summary>Parses the values of the load tools' command-line options, naming the option in every error.</summary>
internal static class OptionValues
{
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

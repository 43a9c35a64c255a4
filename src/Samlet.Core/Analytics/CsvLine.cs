using System.Text;

namespace Samlet.Analytics;

/// <summary>
/// Splits one line of comma-separated text into fields, for the readers of transaction and conversion-path files.
/// A field that starts with a double quote runs to the next lone quote and may hold commas; a doubled quote inside it
/// stands for one quote. A quote anywhere else is an ordinary character. Fields are neither trimmed nor converted.
/// </summary>
internal static class CsvLine
{
    /// <summary>
    /// Replaces the contents of <paramref name="fields"/> with the fields of <paramref name="line"/>. Text between a
    /// closing quote and the next comma is a problem unless <paramref name="textMayFollowQuote"/>, in which case it is
    /// appended to the field (<c>"a"b</c> reads as <c>ab</c>).
    /// </summary>
    public static CsvLineProblem Split(string line, List<string> fields, bool textMayFollowQuote)
    {
        fields.Clear();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return CsvLineProblem.UnclosedQuote;
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }

                if (i < line.Length && line[i] != ',' && !textMayFollowQuote)
                {
                    return CsvLineProblem.TextAfterQuote;
                }
            }

            // An unquoted field, or what follows a closing quote: everything up to the next comma.
            var end = line.IndexOf(',', i);
            if (end < 0)
            {
                end = line.Length;
            }

            field.Append(line, i, end - i);
            fields.Add(field.ToString());
            if (end >= line.Length)
            {
                return CsvLineProblem.None;
            }

            i = end + 1; // past the comma
        }
    }
}

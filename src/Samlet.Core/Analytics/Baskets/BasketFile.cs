namespace Samlet.Analytics.Baskets;

/// <summary>
/// Reads the basket text format: one basket per line, items separated by commas, no header, no quoting (an item
/// label cannot contain a comma). Labels are kept exactly, spaces included (Groceries has "cream cheese ").
/// Empty or whitespace-only fields ("a,,b") are skipped. Blank lines are not baskets (a trailing blank line adds
/// nothing), but a line of separators only (",,") is an empty basket and counts in the support denominator.
/// </summary>
public static class BasketFile
{
    public static TransactionSet Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var baskets = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var items = line.Split(',').Where(item => !string.IsNullOrWhiteSpace(item)).ToArray();
            baskets.Add(items);
        }

        if (baskets.Count == 0)
        {
            throw new FormatException("The basket file holds no basket (every line is blank).");
        }

        return TransactionSet.FromBaskets(baskets);
    }

    public static TransactionSet Read(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader);
    }
}

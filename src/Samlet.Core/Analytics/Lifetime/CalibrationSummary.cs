using Samlet.Analytics.Transactions;

namespace Samlet.Analytics.Lifetime;

/// <summary>
/// Per customer, in struct-of-arrays form: <c>x</c> repeat purchases in the calibration period (the first purchase is
/// the customer's birth, not a repeat), <c>tx</c> time from the first to the last calibration purchase, <c>T</c> (age)
/// time from the first purchase to the calibration end, the mean spend of the repeat purchases (0 when x = 0) and,
/// optionally, the repeat purchases seen in a holdout period.
/// </summary>
public sealed class CalibrationSummary
{
    private readonly string[] _customerIds;

    public CalibrationSummary(
        IReadOnlyList<string> customerIds,
        int[] frequency,
        double[] recency,
        double[] age,
        double[]? meanRepeatSpend = null)
    {
        var n = customerIds.Count;
        if (frequency.Length != n || recency.Length != n || age.Length != n || (meanRepeatSpend is not null && meanRepeatSpend.Length != n))
        {
            throw new ArgumentException("all columns of a calibration summary must have one value per customer");
        }

        for (var i = 0; i < n; i++)
        {
            if (frequency[i] < 0 || !double.IsFinite(age[i]) || !(recency[i] >= 0) || recency[i] > age[i] || (frequency[i] == 0 && recency[i] != 0))
            {
                throw new ArgumentException(
                    $"customer {customerIds[i]}: need x >= 0, 0 <= tx <= T and tx = 0 when x = 0 (x={frequency[i]}, tx={recency[i]}, T={age[i]})");
            }

            if (meanRepeatSpend is not null && !(meanRepeatSpend[i] >= 0 && double.IsFinite(meanRepeatSpend[i])))
            {
                throw new ArgumentException($"customer {customerIds[i]}: mean repeat spend must be a non-negative number");
            }
        }

        // Copies, so that a caller changing its arrays cannot change a summary a model was fitted on.
        _customerIds = [.. customerIds];
        X = [.. frequency];
        Tx = [.. recency];
        T = [.. age];
        Spend = meanRepeatSpend is null ? null : [.. meanRepeatSpend];
    }

    public int Count => _customerIds.Length;

    public IReadOnlyList<string> CustomerIds => _customerIds;

    public IReadOnlyList<int> Frequency => X;

    public IReadOnlyList<double> Recency => Tx;

    public IReadOnlyList<double> Age => T;

    /// <summary>Mean amount of the repeat purchases; null when the transactions carried no amounts.</summary>
    public IReadOnlyList<double>? MeanRepeatSpend => Spend;

    public bool HasSpend => Spend is not null;

    /// <summary>Repeat purchases (days with a purchase) in the holdout period; null without a holdout.</summary>
    public IReadOnlyList<int>? HoldoutPurchases { get; private init; }

    /// <summary>Length of the holdout period in time units; 0 without a holdout.</summary>
    public double HoldoutLength { get; private init; }

    /// <summary>Customers left out because their first purchase came after the calibration end.</summary>
    public int CustomersBornAfterCalibration { get; private init; }

    internal int[] X { get; }

    internal double[] Tx { get; }

    internal double[] T { get; }

    internal double[]? Spend { get; }

    /// <summary>
    /// Builds the summary from raw transactions: one transaction per customer per day (same-day amounts summed),
    /// times in <paramref name="unit"/>, calibration up to and including <paramref name="calibrationEnd"/>,
    /// holdout after it up to and including <paramref name="holdoutEnd"/>. Customers whose first purchase is after
    /// the calibration end are left out.
    /// </summary>
    public static CalibrationSummary FromTransactions(
        IEnumerable<Transaction> transactions,
        DateOnly calibrationEnd,
        TimeUnit unit,
        bool hasAmounts,
        DateOnly? holdoutEnd = null)
    {
        if (holdoutEnd is { } end && end <= calibrationEnd)
        {
            throw new ArgumentException($"the holdout end {end:yyyy-MM-dd} must come after the calibration end {calibrationEnd:yyyy-MM-dd}");
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var ids = new List<string>();
        var keys = new List<long>();
        var amounts = new List<double>();
        foreach (var transaction in transactions)
        {
            if (!index.TryGetValue(transaction.CustomerId, out var id))
            {
                id = ids.Count;
                index.Add(transaction.CustomerId, id);
                ids.Add(transaction.CustomerId);
            }

            // Sort key: customer in the high bits, day number in the low bits.
            keys.Add(((long)id << 32) | (uint)transaction.Date.DayNumber);
            amounts.Add(transaction.Amount);
        }

        var keyArray = keys.ToArray();
        var amountArray = amounts.ToArray();
        Array.Sort(keyArray, amountArray);
        return Summarise(ids, keyArray, amountArray, calibrationEnd, unit, hasAmounts, holdoutEnd);
    }

    private static CalibrationSummary Summarise(
        List<string> ids, long[] keys, double[] amounts, DateOnly calibrationEnd, TimeUnit unit, bool hasAmounts, DateOnly? holdoutEnd)
    {
        var unitDays = unit == TimeUnit.Weeks ? 7.0 : 1.0;
        var calibrationDay = calibrationEnd.DayNumber;
        var holdoutDay = holdoutEnd?.DayNumber ?? calibrationDay;
        var keptIds = new List<string>();
        var x = new List<int>();
        var tx = new List<double>();
        var age = new List<double>();
        var spend = new List<double>();
        var holdout = new List<int>();
        var bornLater = 0;
        var i = 0;
        while (i < keys.Length)
        {
            var customer = (int)(keys[i] >> 32);
            var firstDay = (int)(keys[i] & 0xFFFFFFFF);
            int lastCalibrationDay = firstDay, repeatDays = 0, holdoutDays = 0, day = -1;
            var repeatAmount = 0.0;
            for (; i < keys.Length && (int)(keys[i] >> 32) == customer; i++)
            {
                var d = (int)(keys[i] & 0xFFFFFFFF);
                var newDay = d != day;
                day = d;
                if (d <= calibrationDay)
                {
                    lastCalibrationDay = d;
                    if (d != firstDay)
                    {
                        repeatDays += newDay ? 1 : 0;
                        repeatAmount += amounts[i];
                    }
                }
                else if (d <= holdoutDay && newDay)
                {
                    holdoutDays++;
                }
            }

            if (firstDay > calibrationDay)
            {
                bornLater++;
                continue;
            }

            keptIds.Add(ids[customer]);
            x.Add(repeatDays);
            tx.Add((lastCalibrationDay - firstDay) / unitDays);
            age.Add((calibrationDay - firstDay) / unitDays);
            spend.Add(repeatDays > 0 ? repeatAmount / repeatDays : 0.0);
            holdout.Add(holdoutDays);
        }

        return new CalibrationSummary(keptIds, [.. x], [.. tx], [.. age], hasAmounts ? [.. spend] : null)
        {
            HoldoutPurchases = holdoutEnd is null ? null : holdout.ToArray(),
            HoldoutLength = (holdoutDay - calibrationDay) / unitDays,
            CustomersBornAfterCalibration = bornLater,
        };
    }
}

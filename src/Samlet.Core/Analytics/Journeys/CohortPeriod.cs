namespace Samlet.Analytics.Journeys;

/// <summary>Cohort and retention period length, in UTC calendar terms.</summary>
public enum CohortPeriod
{
    /// <summary>ISO weeks, Monday 00:00 UTC to the next Monday.</summary>
    Week,

    /// <summary>Calendar months in UTC.</summary>
    Month,
}

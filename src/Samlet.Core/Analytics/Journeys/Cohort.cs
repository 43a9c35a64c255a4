namespace Samlet.Analytics.Journeys;

/// <summary>Users first seen in one period and how many of them were active in each later period.</summary>
/// <param name="Start">First day (UTC) of the cohort's period.</param>
/// <param name="Size">Users whose first event falls in the period.</param>
/// <param name="ActiveUsers">Index p: cohort users active in the p-th period after the cohort's (0 = the cohort's own).</param>
/// <param name="RetainedShare">ActiveUsers / Size.</param>
public sealed record Cohort(DateOnly Start, int Size, IReadOnlyList<int> ActiveUsers, IReadOnlyList<double> RetainedShare);

using Samlet.Analytics.Lifetime;
using Samlet.Analytics.Transactions;

namespace Samlet.Server.Cli.Analytics;

/// <summary>The validated options of <c>samlet analytics clv</c>.</summary>
internal sealed record ClvSettings(
    string TransactionsFile,
    TransactionColumns Columns,
    DateOnly CalibrationEnd,
    DateOnly? HoldoutEnd,
    string Model,
    TimeUnit Unit,
    double Horizon,
    double DiscountRate);

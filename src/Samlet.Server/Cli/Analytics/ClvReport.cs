using Samlet.Analytics.Lifetime;
using Samlet.Analytics.Transactions;

namespace Samlet.Server.Cli.Analytics;

/// <summary>Everything <c>samlet analytics clv</c> reports: the fitted models, the holdout check and the customers.</summary>
internal sealed record ClvReport(
    ClvSettings Settings,
    IReadOnlyList<ParameterEstimate> Parameters,
    double LogLikelihood,
    ModelFit<GammaGammaModel>? Spend,
    HoldoutComparison? Holdout,
    IReadOnlyList<CustomerValue> Customers,
    int CustomersBornAfterCalibration)
{
    public static ClvReport Build(ClvSettings settings)
    {
        var table = TransactionCsvReader.ReadFile(settings.TransactionsFile, settings.Columns);
        var data = CalibrationSummary.FromTransactions(
            table.Transactions, settings.CalibrationEnd, settings.Unit, table.HasAmounts, settings.HoldoutEnd);
        IRepeatPurchaseModel model;
        IReadOnlyList<ParameterEstimate> parameters;
        double logLikelihood;
        if (settings.Model == "paretonbd")
        {
            var fit = ParetoNbdModel.Fit(data);
            (model, parameters, logLikelihood) = (fit.Model, fit.Parameters, fit.LogLikelihood);
        }
        else
        {
            var fit = BgNbdModel.Fit(data);
            (model, parameters, logLikelihood) = (fit.Model, fit.Parameters, fit.LogLikelihood);
        }

        var spend = table.HasAmounts ? GammaGammaModel.Fit(data) : null;
        var customers = CustomerValuation.Score(model, spend?.Model, data, settings.Horizon, settings.DiscountRate);
        var holdout = settings.HoldoutEnd is null ? null : CustomerValuation.CompareHoldout(model, data);
        return new ClvReport(settings, parameters, logLikelihood, spend, holdout, customers, data.CustomersBornAfterCalibration);
    }
}

using Samlet.Audiences;
using Samlet.Storage;

namespace Samlet.Server.Hosting;

/// <summary>
/// Computed traits and audiences the demo starts with, so that a fresh demo shows them on profiles and in the APIs
/// (and a marketer has examples to copy). Put before the demo's events load: the pipeline keeps them as events arrive.
/// </summary>
internal static class DemoDefinitions
{
    private static readonly (DefinitionKind Kind, string Json)[] _definitions =
    [
        (DefinitionKind.ComputedTrait, """{"key":"orders_90d","name":"Orders in the last 90 days","aggregation":"count","event":"Order Completed","window":"90d"}"""),
        (DefinitionKind.ComputedTrait, """{"key":"lifetime_revenue","name":"Lifetime revenue","aggregation":"sum","event":"Order Completed","property":"properties.total"}"""),
        (DefinitionKind.ComputedTrait, """{"key":"favourite_category","name":"Most viewed category (30 days)","aggregation":"mostFrequent","event":"Product Viewed","property":"properties.category","window":"30d"}"""),
        (DefinitionKind.Audience, """{"key":"repeat_buyers","name":"Repeat buyers (90 days)","condition":{"computed":"orders_90d","op":"greaterThanOrEqual","value":2}}"""),
        (DefinitionKind.Audience, """{"key":"big_spenders","name":"Big spenders, reachable by e-mail","condition":{"and":[{"computed":"lifetime_revenue","op":"greaterThanOrEqual","value":1000},{"has":"email"}]}}"""),
        (DefinitionKind.Audience, """{"key":"lapsed_customers","name":"Lapsed customers","condition":{"and":[{"performed":"Order Completed"},{"notPerformed":"Order Completed","within":"90d"}]}}"""),
        (DefinitionKind.Audience, """{"key":"window_shoppers","name":"Window shoppers (this week)","condition":{"and":[{"performed":"Product Viewed","atLeast":3,"within":"7d"},{"notPerformed":"Order Completed","within":"30d"}]}}"""),
    ];

    public static async Task PutAsync(ICdpStore store, string workspaceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (kind, json) in _definitions)
        {
            var key = kind == DefinitionKind.Audience ? DefinitionParser.ParseAudience(json).Value.Key : DefinitionParser.ParseComputedTrait(json).Value.Key;
            await store.Audiences.PutDefinitionAsync(workspaceId, kind, key, json, now, cancellationToken);
        }
    }
}

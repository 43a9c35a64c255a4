using System.Text;
using System.Text.Json;
using Samlet.Identity;
using Samlet.Storage;

namespace Samlet.Server.Admin;

/// <summary>
/// The workspace's identity rules (docs/identity.md): read them, replace them (checked whole; every problem reported at
/// once), and list the identifiers unmerges have cut. New rules apply to events processed from then on;
/// <c>samlet rebuild</c> applies them to the whole history.
/// </summary>
internal static class IdentityRulesEndpoints
{
    private const int MaxRulesBytes = 256 * 1024;

    public static void MapIdentityRules(this RouteGroupBuilder api)
    {
        api.MapGet("/identity/rules", async (HttpContext http, ICdpStore store) =>
        {
            var json = await store.Profiles.GetIdentityRulesAsync(http.ApiKey().WorkspaceId, http.RequestAborted);
            var rules = json is null ? new IdentityRules() : IdentityRulesJson.Parse(json);
            return Results.Text(IdentityRulesJson.Write(rules), "application/json", Encoding.UTF8);
        });

        api.MapPut("/identity/rules", async (HttpContext http, ICdpStore store) =>
        {
            string body;
            using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8))
            {
                var buffer = new char[MaxRulesBytes + 1];
                var read = await reader.ReadBlockAsync(buffer, http.RequestAborted);
                if (read > MaxRulesBytes)
                {
                    return Results.Problem($"The rules are larger than {MaxRulesBytes / 1024} KB.", statusCode: 413, title: "Payload too large");
                }

                body = new string(buffer, 0, read);
            }

            IdentityRules rules;
            try
            {
                rules = IdentityRulesJson.Parse(body);
            }
            catch (JsonException ex)
            {
                return Problems.BadRequest("The rules are not valid JSON for identity rules: " + ex.Message);
            }

            if (!IdentityRuleSet.TryBuild(rules, out _, out var errors))
            {
                return Results.Problem("The rules were refused; nothing was changed.", statusCode: 400, title: "Invalid identity rules",
                    extensions: new Dictionary<string, object?> { ["errors"] = errors });
            }

            var normalized = IdentityRulesJson.Write(rules);
            await store.Profiles.SetIdentityRulesAsync(http.ApiKey().WorkspaceId, normalized, http.RequestAborted);
            return Results.Text(normalized, "application/json", Encoding.UTF8);
        });

        api.MapGet("/identity/cuts", async (HttpContext http, ICdpStore store) =>
            Results.Ok((await store.Profiles.GetCutsAsync(http.ApiKey().WorkspaceId, http.RequestAborted))
                .Select(c => new { identifier = c.Identifier.ToString(), profileId = c.ProfileId, cutAt = c.CutAt })));
    }
}

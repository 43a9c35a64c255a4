using System.Text.Json;
using Samlet.Events;
using Samlet.Profiles;
using Samlet.Storage;

namespace Samlet.Audiences;

/// <summary>
/// Folds every event on a profile's timeline into its aggregates (after a definition change, or for a preview of a
/// condition nobody keeps yet); Samlet's own events on it fold into nothing, as in the live pipeline
/// (<see cref="AudienceStage.Observe"/>). Order does not matter to aggregates.
/// </summary>
internal static class ProfileReplay
{
    public static async Task ObserveAllAsync(IProfileStore profiles, AudienceStage stage, ProfileState profile, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long? before = null;
        IReadOnlyList<StoredEvent> page;
        do
        {
            page = await profiles.GetEventsAsync(profile.Id, before, 5000, cancellationToken);
            foreach (var e in page)
            {
                try
                {
                    using var document = JsonDocument.Parse(e.Payload);
                    stage.Observe(profile, e, document.RootElement, ProfileUpdater.TraitsOf(e.Type, document.RootElement), now);
                }
                catch (JsonException)
                {
                    // Skipped, as the live pipeline skips it.
                }
            }

            before = page.Count > 0 ? page[^1].Sequence : null;
        }
        while (page.Count > 0);
    }
}

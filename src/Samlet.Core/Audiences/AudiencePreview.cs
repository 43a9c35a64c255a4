using Samlet.Storage;

namespace Samlet.Audiences;

/// <summary>
/// Counts the profiles of a workspace that meet an audience definition that need not be saved, with the same
/// evaluator as the pipeline. Computed traits and behavioural conditions the workspace already keeps are read from the
/// profiles; a behavioural condition nobody keeps yet is counted from each profile's events (slower).
/// </summary>
public sealed class AudiencePreview(ICdpStore store)
{
    private const int Page = 2000;

    public async Task<PreviewResult> RunAsync(string workspaceId, WorkspaceDefinitions saved, AudienceDefinition candidate, int sampleSize, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var definitions = new WorkspaceDefinitions(saved.Version, saved.ComputedTraits, [.. saved.Audiences.Where(a => a.Key != candidate.Key), candidate]);
        var stage = new AudienceStage(definitions, workspaceId, null);
        long total = 0;
        long count = 0;
        var sample = new List<string>(sampleSize);
        string? after = null;
        while (true)
        {
            var ids = await store.Audiences.ListProfileIdsAsync(workspaceId, after, Page, cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }

            after = ids[^1];
            var identities = (await store.Audiences.LoadIdentitiesOfAsync(ids, cancellationToken)).ToDictionary(p => p.Id, StringComparer.Ordinal);
            foreach (var profile in await store.Profiles.LoadProfilesAsync(ids, cancellationToken))
            {
                total++;
                if (stage.Attach(profile))
                {
                    stage.Reset(profile);
                    await ProfileReplay.ObserveAllAsync(store.Profiles, stage, profile, now, cancellationToken);
                }

                if (AudienceStage.Meets(profile, identities.GetValueOrDefault(profile.Id), candidate.Condition, now))
                {
                    count++;
                    if (sample.Count < sampleSize)
                    {
                        sample.Add(profile.Id);
                    }
                }
            }
        }

        return new PreviewResult(count, total, sample);
    }
}

/// <summary><see cref="Count"/> of <see cref="Total"/> profiles meet the definition; <see cref="Sample"/>: the first few by id.</summary>
public sealed record PreviewResult(long Count, long Total, IReadOnlyList<string> Sample);

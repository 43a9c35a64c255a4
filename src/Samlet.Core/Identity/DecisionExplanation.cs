using System.Globalization;
using System.Text;
using Samlet.Events;

namespace Samlet.Identity;

/// <summary>Writes an <see cref="IdentityDecision"/> in plain words (docs/identity.md shows examples).</summary>
internal static class DecisionExplanation
{
    public static string Of(IdentityDecision decision)
    {
        var text = new StringBuilder(256);
        text.Append("Event ").Append(decision.MessageId).Append(" (").Append(decision.EventType.ToWire())
            .Append(" at ").Append(Time(decision.Timestamp)).Append(") ");
        switch (decision.Kind)
        {
            case IdentityDecisionKind.Match:
                text.Append("matched profile ").Append(decision.ProfileId).Append(" by ").Append(decision.MatchedBy).Append('.');
                break;
            case IdentityDecisionKind.Attach:
                text.Append("matched profile ").Append(decision.ProfileId).Append(" by ").Append(decision.MatchedBy)
                    .Append(" and added ").AppendJoin(", ", decision.Added).Append('.');
                break;
            case IdentityDecisionKind.Create:
                text.Append("matched no profile; created profile ").Append(decision.ProfileId)
                    .Append(" with ").AppendJoin(", ", decision.Added).Append('.');
                break;
            case IdentityDecisionKind.Merge:
                Merge(decision, text);
                break;
            default:
                text.Append("has no usable identifier and belongs to no profile.");
                break;
        }

        if (decision.Account is { } account)
        {
            text.Append(" The person is linked to account ").Append(account).Append('.');
        }

        foreach (var leftOut in decision.LeftOut)
        {
            text.Append(" Left out: ").Append(leftOut.Describe());
        }

        return text.ToString();
    }

    private static void Merge(IdentityDecision decision, StringBuilder text)
    {
        text.Append("linked ").Append((decision.Merged.Count + 1).ToString(CultureInfo.InvariantCulture))
            .Append(" profiles: ").Append(decision.ProfileId).Append(" by ").Append(decision.MatchedBy);
        foreach (var merged in decision.Merged)
        {
            text.Append(", ").Append(merged.ProfileId).Append(" by ").Append(merged.MatchedBy);
        }

        text.Append(". Merged ");
        for (var i = 0; i < decision.Merged.Count; i++)
        {
            text.Append(i == 0 ? "" : i == decision.Merged.Count - 1 ? " and " : ", ").Append(decision.Merged[i].ProfileId);
        }

        text.Append(" into ").Append(decision.ProfileId).Append(", the oldest (created ").Append(Time(decision.ProfileCreatedAt!.Value)).Append(").");
        if (decision.Added.Count > 0)
        {
            text.Append(" Added ").AppendJoin(", ", decision.Added).Append('.');
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

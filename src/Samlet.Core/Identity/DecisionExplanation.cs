using System.Globalization;
using System.Text;
using Samlet.Events;

namespace Samlet.Identity;

/// <summary>Writes an <see cref="IdentityDecision"/> in plain words (docs/identity.md shows examples).</summary>
internal static class DecisionExplanation
{
    // One per thread, cleared per use: every decision is explained (the history keeps the text), and a new builder per
    // decision was a twentieth of a profile-creating batch's allocations.
    [ThreadStatic]
    private static StringBuilder? _text;

    public static string Of(IdentityDecision decision)
    {
        var text = (_text ??= new StringBuilder(256)).Clear();
        text.Append("Event ").Append(decision.MessageId).Append(" (").Append(decision.EventType.ToWire())
            .Append(" at ");
        AppendTime(text, decision.Timestamp).Append(") ");
        switch (decision.Kind)
        {
            case IdentityDecisionKind.Match:
                text.Append("matched profile ").Append(decision.ProfileId).Append(" by ").Append(decision.MatchedBy).Append('.');
                break;
            case IdentityDecisionKind.Attach:
                text.Append("matched profile ").Append(decision.ProfileId).Append(" by ").Append(decision.MatchedBy)
                    .Append(" and added ");
                AppendAll(text, decision.Added).Append('.');
                break;
            case IdentityDecisionKind.Create:
                text.Append("matched no profile; created profile ").Append(decision.ProfileId)
                    .Append(" with ");
                AppendAll(text, decision.Added).Append('.');
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

        text.Append(" into ").Append(decision.ProfileId).Append(", the oldest (created ");
        AppendTime(text, decision.ProfileCreatedAt!.Value).Append(").");
        if (decision.Added.Count > 0)
        {
            AppendAll(text.Append(" Added "), decision.Added).Append('.');
        }
    }

    private static StringBuilder AppendTime(StringBuilder text, DateTimeOffset time) =>
        text.Append(CultureInfo.InvariantCulture, $"{time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");

    // As Identifier.ToString ("type:value"), without a string per identifier.
    private static StringBuilder AppendAll(StringBuilder text, IReadOnlyList<Identifier> identifiers)
    {
        for (var i = 0; i < identifiers.Count; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(identifiers[i].Type).Append(':').Append(identifiers[i].Value);
        }

        return text;
    }
}

using Samlet.Events;
using Samlet.Identity;
using Samlet.Pipeline;
using Samlet.Profiles;

namespace Samlet.Server.Profiles;

/// <summary>
/// Everything about one profile, as <c>GET /api/profiles/{id}</c> and <c>samlet profiles get</c> show it. When the
/// timeline goes on past <see cref="RecentEvents"/>, <see cref="MoreBefore"/> is the cursor of the next page.
/// </summary>
internal sealed record ProfileDetails(
    ProfileState Profile,
    string? RedirectedFrom,
    IReadOnlyList<HeldIdentifier> Identifiers,
    IReadOnlyList<AccountLink> Accounts,
    IReadOnlyList<StoredEvent> RecentEvents,
    long? MoreBefore,
    IReadOnlyList<IdentityRecord> History);

/// <summary>An account the person belongs to, with its traits when the account is known.</summary>
internal sealed record AccountLink(AccountMember Member, AccountState? Account);

namespace Samlet.Demo;

/// <summary>The marketing channel that brought a session, before it is spelled as UTM parameters or a referrer.</summary>
internal enum Channel
{
    Direct,
    OrganicSearch,
    PaidSearch,
    PaidSocial,
    Email,
    Referral,
    Affiliate,
}

namespace Samlet.Demo;

/// <summary>What the customer's next session is for.</summary>
internal enum SessionPlan
{
    Browse,
    Purchase,
    SignUp,
    SignUpAndPurchase,
}

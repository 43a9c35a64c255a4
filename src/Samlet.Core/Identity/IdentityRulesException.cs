namespace Samlet.Identity;

/// <summary>Identity rules that cannot be used; <see cref="Errors"/> says precisely what is wrong with each part.</summary>
public sealed class IdentityRulesException(IReadOnlyList<string> errors)
    : Exception("The identity rules are invalid: " + string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

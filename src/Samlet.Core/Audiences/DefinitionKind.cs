namespace Samlet.Audiences;

public enum DefinitionKind
{
    ComputedTrait,
    Audience,
}

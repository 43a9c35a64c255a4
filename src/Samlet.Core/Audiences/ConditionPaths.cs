namespace Samlet.Audiences;

/// <summary>Every node of a condition tree with the JSON pointer it was parsed from (the tree maps one to one onto its JSON).</summary>
internal static class ConditionPaths
{
    public static IEnumerable<(Condition Node, string Path)> Walk(Condition root, string path = "/condition")
    {
        yield return (root, path);
        var (children, kind) = root switch
        {
            AllOf all => (all.Conditions, "and"),
            AnyOf any => (any.Conditions, "or"),
            NotCondition not => ([not.Condition], "not"),
            _ => ((IReadOnlyList<Condition>)[], ""),
        };

        for (var i = 0; i < children.Count; i++)
        {
            var childPath = root is NotCondition ? $"{path}/not" : DefinitionReader.Pointer($"{path}/{kind}", i);
            foreach (var item in Walk(children[i], childPath))
            {
                yield return item;
            }
        }
    }

    /// <summary>The pointer of a leaf's kind key, e.g. <c>/condition/and/2/memberOf</c>.</summary>
    public static string KindPath(Condition node, string path) => node switch
    {
        MemberOfCondition => path + "/memberOf",
        ComputedTraitCondition => path + "/computed",
        _ => path,
    };
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Samlet.Identity;

/// <summary>
/// A workspace's identity rules, checked and compiled: the defaults overlaid with the configured types, blocked values
/// normalised like the values they block, and patterns compiled with <see cref="RegexOptions.NonBacktracking"/> (linear
/// time, no timeout). Immutable and thread-safe; build once per rules change.
/// </summary>
public sealed class IdentityRuleSet
{
    public const int MaxTypes = 32;
    public const int MaxPatternLength = 500;
    public const int MaxPathSegments = 8;

    private const RegexOptions PatternOptions = RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    private readonly Dictionary<string, TypeRules> _types;
    private readonly TypeRules _unconfigured;
    private readonly HashSet<Identifier> _cuts = [];

    private IdentityRuleSet(IdentityRules source, IdentifierNormalizer normalizer, Dictionary<string, TypeRules> types, TypeRules unconfigured)
    {
        Source = source;
        Normalizer = normalizer;
        _types = types;
        _unconfigured = unconfigured;
        var limited = new List<TypeRules>();
        var withPaths = new List<TypeRules>();
        foreach (var rules in types.Values)
        {
            if (rules.HasLimit)
            {
                limited.Add(rules);
            }

            if (rules.Paths.Length > 0)
            {
                withPaths.Add(rules);
            }
        }

        Limited = [.. limited];
        WithPaths = [.. withPaths];
    }

    /// <summary>The default rules, compiled.</summary>
    public static IdentityRuleSet Default { get; } = Build(new IdentityRules());

    /// <summary>The rules as configured.</summary>
    public IdentityRules Source { get; }

    public IdentifierNormalizer Normalizer { get; }

    /// <summary>The types that have a limit, for the resolver's checks.</summary>
    internal TypeRules[] Limited { get; }

    /// <summary>The types with extra paths, for the extractor.</summary>
    internal TypeRules[] WithPaths { get; }

    /// <summary>Compiles the rules or throws <see cref="IdentityRulesException"/> listing every problem.</summary>
    public static IdentityRuleSet Build(IdentityRules rules) =>
        TryBuild(rules, out var set, out var errors) ? set : throw new IdentityRulesException(errors);

    public static bool TryBuild(IdentityRules rules, [NotNullWhen(true)] out IdentityRuleSet? set, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        set = null;
        if (!IdentifierNormalizer.TryGetRegion(rules.DefaultRegion ?? "", out var region))
        {
            problems.Add($"defaultRegion '{rules.DefaultRegion}' is not a region libphonenumber knows; use an ISO 3166 code such as US, GB or DE.");
            region = "US";
        }

        var normalizer = new IdentifierNormalizer(region);
        var globalPatterns = CompilePatterns(rules.BlockedPatterns ?? [], "blockedPatterns", problems);
        var entries = Overlay(rules.Types ?? [], problems);
        var types = new Dictionary<string, TypeRules>(StringComparer.Ordinal);
        foreach (var (where, entry) in entries)
        {
            var compiled = Compile(entry, where, rules, globalPatterns, normalizer, problems);
            if (compiled is not null)
            {
                types[entry.Type] = compiled;
            }
        }

        var unconfigured = new TypeRules("", int.MaxValue, null, null, BlockedSet("", rules.BlockedValues ?? [], [], normalizer), globalPatterns, []);
        errors = problems;
        if (problems.Count > 0)
        {
            return false;
        }

        set = new IdentityRuleSet(rules, normalizer, types, unconfigured);
        return true;
    }

    /// <summary>Identifiers cut by unmerges: they link nothing, like blocked values.</summary>
    public IReadOnlyCollection<Identifier> Cuts => _cuts;

    /// <summary>These rules with the workspace's unmerge cuts added (the compiled rules are shared).</summary>
    public IdentityRuleSet WithCuts(IEnumerable<Identifier> cuts)
    {
        var set = new IdentityRuleSet(Source, Normalizer, _types, _unconfigured);
        set._cuts.UnionWith(_cuts);
        set._cuts.UnionWith(cuts);
        return set;
    }

    internal bool IsCut(Identifier identifier) => _cuts.Count > 0 && _cuts.Contains(identifier);

    /// <summary>The rules of a type; a type the rules do not name gets only the global blocked values, no limit, the lowest priority.</summary>
    internal TypeRules For(string type) => _types.TryGetValue(type, out var rules) ? rules : _unconfigured;


    // The defaults in order, each replaced by a configured entry of the same type; then the configured custom types.
    private static List<(string Where, IdentifierTypeRule Entry)> Overlay(IReadOnlyList<IdentifierTypeRule> configured, List<string> problems)
    {
        var byType = new Dictionary<string, (string, IdentifierTypeRule)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var entry in IdentityDefaults.Types)
        {
            byType[entry.Type] = ("default " + entry.Type, entry);
            order.Add(entry.Type);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < configured.Count; i++)
        {
            var entry = configured[i];
            var where = $"types[{i}]";
            if (entry is null || !Identifier.IsValidTypeName(entry.Type))
            {
                problems.Add($"{where}.type '{entry?.Type}' is not a valid identifier type: use lower-case letters, digits and '_', starting with a letter, at most {Identifier.MaxTypeLength} characters.");
                continue;
            }

            if (!seen.Add(entry.Type))
            {
                problems.Add($"{where}.type '{entry.Type}' is configured twice.");
                continue;
            }

            if (!byType.ContainsKey(entry.Type))
            {
                order.Add(entry.Type);
            }

            byType[entry.Type] = ($"{where} ({entry.Type})", entry);
        }

        if (order.Count > MaxTypes)
        {
            problems.Add($"types: at most {MaxTypes} identifier types are allowed (built-in ones included), not {order.Count}.");
        }

        var result = new List<(string, IdentifierTypeRule)>(order.Count);
        foreach (var type in order)
        {
            result.Add(byType[type]);
        }

        return result;
    }

    private static TypeRules? Compile(
        IdentifierTypeRule entry,
        string where,
        IdentityRules rules,
        BlockedPattern[] globalPatterns,
        IdentifierNormalizer normalizer,
        List<string> problems)
    {
        var before = problems.Count;
        if (entry.Limit is < 1)
        {
            problems.Add($"{where}.limit {entry.Limit} must be at least 1 (leave it out for no limit).");
        }

        if (entry.Window is { } window)
        {
            if (entry.Limit is null)
            {
                problems.Add($"{where}.window needs a limit to apply to.");
            }

            if (window <= TimeSpan.Zero || window > TimeSpan.FromDays(3660))
            {
                problems.Add($"{where}.window {window} must be longer than zero and at most 3660 days.");
            }
        }

        var paths = ParsePaths(entry.Paths ?? [], where, problems);
        if (paths.Length == 0 && !IdentifierTypes.IsBuiltIn(entry.Type))
        {
            problems.Add($"{where}.paths: the custom type '{entry.Type}' needs at least one path to read it from, e.g. traits.{entry.Type}.");
        }

        var own = CompilePatterns(entry.BlockedPatterns ?? [], where + ".blockedPatterns", problems);
        if (problems.Count > before)
        {
            return null;
        }

        var blocked = BlockedSet(entry.Type, rules.BlockedValues ?? [], entry.BlockedValues ?? [], normalizer);
        return new TypeRules(entry.Type, entry.Priority, entry.Limit, entry.Window, blocked, [.. own, .. globalPatterns], paths);
    }

    // Blocked values are normalised like the values they are compared with (a blocked phone in any format matches its E.164 form).
    private static HashSet<string> BlockedSet(string type, IReadOnlyList<string> global, IReadOnlyList<string> own, IdentifierNormalizer normalizer)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var list in (ReadOnlySpan<IReadOnlyList<string>>)[global, own])
        {
            foreach (var value in list)
            {
                if (value is not null)
                {
                    set.Add(normalizer.TryNormalize(type, value, out var normal) ? normal : value.Trim());
                }
            }
        }

        return set;
    }

    private static BlockedPattern[] CompilePatterns(IReadOnlyList<string> patterns, string where, List<string> problems)
    {
        var compiled = new List<BlockedPattern>(patterns.Count);
        for (var i = 0; i < patterns.Count; i++)
        {
            var text = patterns[i];
            var at = $"{where}[{i}]";
            if (string.IsNullOrEmpty(text))
            {
                problems.Add($"{at} is empty; an empty pattern would block every value.");
                continue;
            }

            if (text.Length > MaxPatternLength)
            {
                problems.Add($"{at} is {text.Length} characters long; at most {MaxPatternLength} are allowed.");
                continue;
            }

            try
            {
                compiled.Add(new BlockedPattern(text, new Regex(text, PatternOptions)));
            }
            catch (RegexParseException e)
            {
                problems.Add($"{at} '{text}' is not a valid regular expression: {e.Error} at offset {e.Offset.ToString(CultureInfo.InvariantCulture)}.");
            }
            catch (NotSupportedException e)
            {
                // Backreferences, lookarounds and atomic groups need backtracking, whose time depends on luck; huge
                // repetitions build huge automata. Both are refused so that a match is always fast and always the same.
                problems.Add($"{at} '{text}' is refused: {e.Message}");
            }
        }

        return [.. compiled];
    }

    private static string[][] ParsePaths(IReadOnlyList<string> paths, string where, List<string> problems)
    {
        var parsed = new string[paths.Count][];
        for (var i = 0; i < paths.Count; i++)
        {
            var path = paths[i] ?? "";
            var segments = path.Split('.');
            if (path.Length == 0 || segments.Length > MaxPathSegments || Array.Exists(segments, s => s.Length == 0 || s.Trim().Length != s.Length))
            {
                problems.Add($"{where}.paths[{i}] '{path}' is not a path: use 1 to {MaxPathSegments} dot-separated field names, e.g. traits.crm_id or properties.account.crm.");
                continue;
            }

            parsed[i] = segments;
        }

        return parsed;
    }
}

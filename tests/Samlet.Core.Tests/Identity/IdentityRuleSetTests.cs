using Samlet.Identity;

namespace Samlet.Core.Tests.Identity;

public sealed class IdentityRuleSetTests
{
    private static readonly IdentityRuleSet _defaults = IdentityRuleSet.Default;

    private static bool Blocked(IdentityRuleSet rules, string type, string value) => rules.For(type).IsBlocked(value, out _);

    private static IReadOnlyList<string> ErrorsOf(IdentityRules rules)
    {
        Assert.False(IdentityRuleSet.TryBuild(rules, out _, out var errors));
        return errors;
    }

    [Theory]
    [InlineData("null")]
    [InlineData("NULL")]
    [InlineData("undefined")]
    [InlineData("None")]
    [InlineData("nil")]
    [InlineData("NaN")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("anonymous")]
    [InlineData("Guest")]
    [InlineData("unknown")]
    [InlineData("N/A")]
    [InlineData("[object Object]")]
    public void Blocks_placeholder_values_for_every_type_by_default(string value)
    {
        foreach (var type in new[] { IdentifierTypes.UserId, IdentifierTypes.AnonymousId, IdentifierTypes.DeviceId, IdentifierTypes.GroupId, "crm_id" })
        {
            Assert.True(Blocked(_defaults, type, value), $"{type}:{value}");
        }
    }

    [Theory]
    [InlineData("test@test.com", true)]
    [InlineData("test@example.com", true)]
    [InlineData("a@a.com", true)]
    [InlineData("noreply@shop.dk", true)]
    [InlineData("no-reply@mail.example.com", true)]
    [InlineData("donotreply@example.org", true)]
    [InlineData("jane@example.com", false)]
    [InlineData("replies@shop.dk", false)]
    [InlineData("tester@test.com", false)]
    public void Blocks_test_and_no_reply_emails_by_default(string email, bool blocked) =>
        Assert.Equal(blocked, Blocked(_defaults, IdentifierTypes.Email, email));

    [Fact]
    public void Blocks_the_all_zero_advertising_id_of_devices_that_limit_ad_tracking()
    {
        Assert.True(Blocked(_defaults, IdentifierTypes.AdvertisingId, "00000000-0000-0000-0000-000000000000"));
        Assert.False(Blocked(_defaults, IdentifierTypes.AdvertisingId, "6D92078A-8246-4BA4-AE5B-76104861E7DC"));
    }

    [Fact]
    public void Names_what_blocked_a_value()
    {
        Assert.True(_defaults.For(IdentifierTypes.Email).IsBlocked("noreply@shop.dk", out var byPattern));
        Assert.Equal("pattern '^(no-?reply|do-?not-?reply)@'", byPattern);
        Assert.True(_defaults.For(IdentifierTypes.UserId).IsBlocked("Undefined", out var byValue));
        Assert.Equal("listed value 'undefined'", byValue);
    }

    [Fact]
    public void Has_the_documented_default_limits_and_priorities()
    {
        Assert.Equal(1, _defaults.For(IdentifierTypes.UserId).Limit);
        Assert.Equal(5, _defaults.For(IdentifierTypes.Email).Limit);
        Assert.Equal(5, _defaults.For(IdentifierTypes.Phone).Limit);
        Assert.Null(_defaults.For(IdentifierTypes.AnonymousId).Limit);
        Assert.Null(_defaults.For(IdentifierTypes.DeviceId).Limit);
        int Priority(string type) => _defaults.For(type).Priority;
        Assert.True(Priority(IdentifierTypes.UserId) < Priority(IdentifierTypes.Email));
        Assert.True(Priority(IdentifierTypes.Email) < Priority(IdentifierTypes.Phone));
        Assert.True(Priority(IdentifierTypes.Phone) < Priority(IdentifierTypes.DeviceId));
        Assert.Equal(Priority(IdentifierTypes.DeviceId), Priority(IdentifierTypes.AdvertisingId));
        Assert.True(Priority(IdentifierTypes.AdvertisingId) < Priority(IdentifierTypes.AnonymousId));
    }

    [Fact]
    public void A_configured_type_replaces_its_default_entry_and_the_other_types_keep_theirs()
    {
        var rules = IdentityRuleSet.Build(new IdentityRules
        {
            Types = [new IdentifierTypeRule { Type = IdentifierTypes.Email, Priority = 2, Limit = 2, Window = TimeSpan.FromDays(7) }],
        });
        Assert.Equal(2, rules.For(IdentifierTypes.Email).Limit);
        Assert.Equal(TimeSpan.FromDays(7), rules.For(IdentifierTypes.Email).Window);
        Assert.False(Blocked(rules, IdentifierTypes.Email, "test@test.com"));
        Assert.True(Blocked(rules, IdentifierTypes.Email, "null"));
        Assert.Equal(1, rules.For(IdentifierTypes.UserId).Limit);
    }

    [Fact]
    public void Compares_a_blocked_phone_in_any_format_with_the_E164_form()
    {
        var rules = IdentityRuleSet.Build(new IdentityRules
        {
            Types = [new IdentifierTypeRule { Type = IdentifierTypes.Phone, Priority = 3, Limit = 5, BlockedValues = ["(212) 555-0100"] }],
        });
        Assert.True(Blocked(rules, IdentifierTypes.Phone, "+12125550100"));
        Assert.False(Blocked(rules, IdentifierTypes.Phone, "+12125550101"));
    }

    [Fact]
    public void Applies_global_blocked_patterns_to_every_type_case_insensitively()
    {
        var rules = IdentityRuleSet.Build(new IdentityRules { BlockedPatterns = ["^qa-"] });
        Assert.True(Blocked(rules, IdentifierTypes.UserId, "QA-robot-7"));
        Assert.True(Blocked(rules, IdentifierTypes.Email, "qa-team@shop.dk"));
        Assert.False(Blocked(rules, IdentifierTypes.UserId, "user_qa-1"));
    }

    [Fact]
    public void Empty_rules_replace_the_default_placeholder_list()
    {
        var rules = IdentityRuleSet.Build(new IdentityRules { BlockedValues = [] });
        Assert.False(Blocked(rules, IdentifierTypes.UserId, "null"));
        Assert.True(Blocked(rules, IdentifierTypes.Email, "test@test.com"));
    }

    [Theory]
    [InlineData("(", "types[0] (user_id).blockedPatterns[0] '(' is not a valid regular expression: InsufficientClosingParentheses at offset 1.")]
    [InlineData(@"(\w+)-\1", @"types[0] (user_id).blockedPatterns[0] '(\w+)-\1' is refused: RegexOptions.NonBacktracking is not supported in conjunction with expressions containing: 'backreference (\ number)'.")]
    [InlineData("^(?=.*bot)", "types[0] (user_id).blockedPatterns[0] '^(?=.*bot)' is refused: RegexOptions.NonBacktracking is not supported in conjunction with expressions containing: 'positive lookahead (?= pattern) or positive lookbehind (?<= pattern)'.")]
    [InlineData("(?>a+)b", "types[0] (user_id).blockedPatterns[0] '(?>a+)b' is refused: RegexOptions.NonBacktracking is not supported in conjunction with expressions containing: 'atomic subexpressions (?> pattern)'.")]
    [InlineData("x{50000}", "types[0] (user_id).blockedPatterns[0] 'x{50000}' is refused: The specified pattern with RegexOptions.NonBacktracking could result in an automata as large as '50001' nodes, which is larger than the configured limit of '10000'.")]
    [InlineData("", "types[0] (user_id).blockedPatterns[0] is empty; an empty pattern would block every value.")]
    public void Refuses_patterns_that_are_invalid_or_need_backtracking_or_build_huge_automata(string pattern, string error)
    {
        var rules = new IdentityRules { Types = [new IdentifierTypeRule { Type = IdentifierTypes.UserId, Priority = 1, Limit = 1, BlockedPatterns = [pattern] }] };
        Assert.Equal([error], ErrorsOf(rules));
    }

    [Fact]
    public void Refuses_patterns_longer_than_500_characters()
    {
        var rules = new IdentityRules { BlockedPatterns = [new string('a', 501)] };
        Assert.Equal(["blockedPatterns[0] is 501 characters long; at most 500 are allowed."], ErrorsOf(rules));
    }

    [Fact]
    public void Matches_patterns_in_linear_time_without_a_timeout_that_would_depend_on_the_machine()
    {
        // A pattern whose backtracking match is exponential; NonBacktracking scans a long value once, with the same answer every time.
        var rules = IdentityRuleSet.Build(new IdentityRules { BlockedPatterns = ["^(a|aa)+$"] });
        Assert.True(rules.For(IdentifierTypes.UserId).IsBlocked(new string('a', 256), out var blockedBy));
        Assert.Equal("pattern '^(a|aa)+$'", blockedBy);
        Assert.False(rules.For(IdentifierTypes.UserId).IsBlocked(new string('a', 255) + "b", out _));
    }

    [Fact]
    public void Lists_every_problem_of_invalid_rules_precisely()
    {
        var rules = new IdentityRules
        {
            DefaultRegion = "XX",
            Types =
            [
                new IdentifierTypeRule { Type = "CRM ID", Paths = ["traits.crm"] },
                new IdentifierTypeRule { Type = IdentifierTypes.Email, Limit = 0 },
                new IdentifierTypeRule { Type = IdentifierTypes.Phone, Window = TimeSpan.FromDays(7) },
                new IdentifierTypeRule { Type = "crm_id" },
                new IdentifierTypeRule { Type = "loyalty_id", Paths = ["traits..card", "properties. card"] },
                new IdentifierTypeRule { Type = IdentifierTypes.Email, Limit = 3 },
            ],
        };
        Assert.Equal(
            [
                "defaultRegion 'XX' is not a region libphonenumber knows; use an ISO 3166 code such as US, GB or DE.",
                "types[0].type 'CRM ID' is not a valid identifier type: use lower-case letters, digits and '_', starting with a letter, at most 64 characters.",
                "types[5].type 'email' is configured twice.",
                "types[1] (email).limit 0 must be at least 1 (leave it out for no limit).",
                "types[2] (phone).window needs a limit to apply to.",
                "types[3] (crm_id).paths: the custom type 'crm_id' needs at least one path to read it from, e.g. traits.crm_id.",
                "types[4] (loyalty_id).paths[0] 'traits..card' is not a path: use 1 to 8 dot-separated field names, e.g. traits.crm_id or properties.account.crm.",
                "types[4] (loyalty_id).paths[1] 'properties. card' is not a path: use 1 to 8 dot-separated field names, e.g. traits.crm_id or properties.account.crm.",
            ],
            ErrorsOf(rules));
        var thrown = Assert.Throws<IdentityRulesException>(() => IdentityRuleSet.Build(rules));
        Assert.Equal(8, thrown.Errors.Count);
    }

    [Fact]
    public void Accepts_a_custom_type_read_from_trait_and_property_paths()
    {
        var rules = IdentityRuleSet.Build(new IdentityRules
        {
            Types = [new IdentifierTypeRule { Type = "crm_id", Priority = 2, Limit = 1, Paths = ["traits.crm_id", "properties.account.crm"] }],
        });
        Assert.Equal(1, rules.For("crm_id").Limit);
        Assert.Equal([["traits", "crm_id"], ["properties", "account", "crm"]], rules.For("crm_id").Paths);
    }
}

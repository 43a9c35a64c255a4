using System.Text.RegularExpressions;

namespace Samlet.Identity;

/// <summary>A compiled blocked-value pattern and the text it was written as.</summary>
internal sealed record BlockedPattern(string Text, Regex Regex);

using System.Text;

namespace Samlet.Demo;

/// <summary>How a session arrived: channel, UTM parameters (null when untagged) and the referring URL.</summary>
internal sealed record Visit(
    Channel Channel,
    string? Source,
    string? Medium,
    string? Campaign,
    string? Term,
    string? Content,
    string Referrer)
{
    public bool HasUtm => Source is not null;

    /// <summary>The query string of the landing page, <c>?utm_source=...</c>, or empty.</summary>
    public string Query()
    {
        if (!HasUtm)
        {
            return "";
        }

        var sb = new StringBuilder("?utm_source=").Append(Source).Append("&utm_medium=").Append(Medium).Append("&utm_campaign=").Append(Campaign);
        if (Term is not null)
        {
            sb.Append("&utm_term=").Append(Term.Replace(' ', '+'));
        }

        if (Content is not null)
        {
            sb.Append("&utm_content=").Append(Content);
        }

        return sb.ToString();
    }
}

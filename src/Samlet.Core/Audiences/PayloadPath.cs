using System.Text.Json;

namespace Samlet.Audiences;

/// <summary>Dotted paths into an event payload (<c>properties.total</c>, <c>context.page.path</c>).</summary>
internal static class PayloadPath
{
    public const int MaxLength = 200;

    public static bool IsValid(string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Length > MaxLength)
        {
            return false;
        }

        foreach (var segment in path.AsSpan().Split('.'))
        {
            if (segment.Start.Value == segment.End.Value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value at <paramref name="path"/> from <paramref name="root"/>; null when a segment is missing or not an object.</summary>
    public static JsonElement? Resolve(JsonElement root, string path)
    {
        var current = root;
        var rest = path.AsSpan();
        while (true)
        {
            if (current.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var dot = rest.IndexOf('.');
            var segment = dot < 0 ? rest : rest[..dot];
            if (!current.TryGetProperty(segment, out var next))
            {
                return null;
            }

            if (dot < 0)
            {
                return next;
            }

            current = next;
            rest = rest[(dot + 1)..];
        }
    }
}

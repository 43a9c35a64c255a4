using System.Net;

namespace Samlet.Server.Tracking;

/// <summary>The client's IP: the connection's peer, or the first hop of <c>X-Forwarded-For</c> when the peer is a trusted proxy.</summary>
internal sealed class ClientAddress(IEnumerable<string> trustedProxies)
{
    private readonly HashSet<IPAddress> _trusted = [.. trustedProxies.Select(IPAddress.Parse).Select(Canonical)];

    public string? Of(HttpContext context)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (peer is null)
        {
            return null;
        }

        peer = Canonical(peer);
        if (_trusted.Contains(peer))
        {
            var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
            var first = forwarded.Split(',', 2)[0].Trim();
            if (IPAddress.TryParse(first, out var client))
            {
                return Canonical(client).ToString();
            }
        }

        return peer.ToString();
    }

    private static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

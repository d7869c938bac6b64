using OfflineSidecar.Core.Transport;
using OfflineSidecar.Host.Errors;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Settings;

/// <summary>Tokens travel with every request, so only a loopback server may be plain http (error 1006 otherwise).</summary>
internal static class ServerUrlParser
{
    /// <summary>Null or blank means "no server".</summary>
    public static Uri? Parse(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? url) || !ServerUrlPolicy.IsAllowed(url))
        {
            throw new JsonRpcException(SidecarErrorCodes.InvalidServerUrl, $"{field}: must be an https URL, or http on a loopback host: '{text}'");
        }

        return url;
    }
}

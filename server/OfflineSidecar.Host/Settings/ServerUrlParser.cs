using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Host.Settings;

/// <summary>Tokens travel with every request, so only a loopback server may be plain http (a <see cref="SettingsErrorKind.InvalidServerUrl"/> refusal otherwise).</summary>
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
            throw new SettingsException(SettingsErrorKind.InvalidServerUrl, field, $"must be an https URL, or http on a loopback host: '{text}'");
        }

        return url;
    }
}

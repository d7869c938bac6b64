namespace OfflineSidecar.Core.Transport;

/// <summary>Tokens travel in the Authorization header, so only loopback may go without TLS.</summary>
public static class ServerUrlPolicy
{
    public static bool IsAllowed(Uri? serverUrl) =>
        serverUrl is { IsAbsoluteUri: true }
        && (serverUrl.Scheme == Uri.UriSchemeHttps || (serverUrl.Scheme == Uri.UriSchemeHttp && serverUrl.IsLoopback));

    /// <exception cref="ArgumentException">The URL is relative, not http(s), or plain http to a non-loopback host.</exception>
    public static void EnsureAllowed(Uri serverUrl)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        if (!IsAllowed(serverUrl))
        {
            throw new ArgumentException($"Server URL must be https unless it is loopback: {serverUrl}", nameof(serverUrl));
        }
    }
}

using System.Security.Cryptography;
using System.Text;

namespace OfflineSidecar.Core.Accounts;

/// <summary>
/// What the store keeps of a token: a SHA-256 of the workspace, the server and the token, so the partition a token
/// opens in a workspace is found offline too, while the token itself stays in memory only. Tokens are long random secrets: the digest reveals nothing
/// usable. "No token" has a fingerprint of its own, so work done while signed out is kept apart as well.
/// </summary>
public static class CredentialFingerprint
{
    public static string Of(string workspace, string server, string? token)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(server);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(workspace + "\n" + server + "\n" + (token ?? "")));
        return Convert.ToHexStringLower(digest);
    }
}

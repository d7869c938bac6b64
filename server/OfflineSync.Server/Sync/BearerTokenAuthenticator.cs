using System.Security.Cryptography;
using System.Text;

namespace OfflineSync.Server.Sync;

/// <summary>
/// The reference server has one user. Its identity does not derive from the token, so rotating the token
/// (requireToken) keeps idempotency keys recognized and a resend after rotation is still a duplicate.
/// </summary>
internal static class BearerTokenAuthenticator
{
    public const string UserId = "default";

    /// <returns>Null when authorized, otherwise why not.</returns>
    public static string? Check(HttpRequest request, string? requiredToken)
    {
        if (requiredToken is null)
        {
            return null;
        }

        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return "missing bearer token";
        }

        var presented = Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim());
        var expected = Encoding.UTF8.GetBytes(requiredToken);
        return CryptographicOperations.FixedTimeEquals(presented, expected) ? null : "invalid token";
    }
}

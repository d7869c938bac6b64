using System.Security.Cryptography;
using System.Text;

namespace OfflineSync.Server.Sync;

/// <summary>
/// Who a request is, from its bearer token. The account's identity does not derive from the token, so rotating a token
/// (requireToken) keeps idempotency keys recognized and a resend after rotation is still a duplicate. A server with no
/// token at all is open, and everyone is <see cref="DefaultAccount"/>.
/// </summary>
internal static class BearerTokenAuthenticator
{
    public const string DefaultAccount = "default";

    /// <param name="defaultToken">The token of <see cref="DefaultAccount"/> (--token, or requireToken at run time).</param>
    /// <param name="accounts">Further tokens, each of its own account (--account ID=TOKEN).</param>
    public static Authentication Authenticate(HttpRequest request, string? defaultToken, IReadOnlyDictionary<string, string> accounts)
    {
        if (defaultToken is null && accounts.Count == 0)
        {
            return new Authentication(DefaultAccount, null);
        }

        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return new Authentication(null, "missing bearer token");
        }

        var presented = Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim());
        if (defaultToken is not null && Matches(presented, defaultToken))
        {
            return new Authentication(DefaultAccount, null);
        }

        // Every token is compared, so the time taken does not tell which one nearly matched.
        string? account = null;
        foreach (var (token, id) in accounts)
        {
            if (Matches(presented, token))
            {
                account = id;
            }
        }

        return account is null ? new Authentication(null, "invalid token") : new Authentication(account, null);
    }

    private static bool Matches(byte[] presented, string token) =>
        CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(token));
}

/// <summary>Either the account a request acts for, or why it has none.</summary>
internal sealed record Authentication(string? AccountId, string? Failure);

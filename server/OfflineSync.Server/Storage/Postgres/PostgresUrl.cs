using Npgsql;

namespace OfflineSync.Server.Storage.Postgres;

/// <summary>
/// <c>postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?keyword=value&amp;…]</c> as an Npgsql connection string (Npgsql
/// itself takes only keyword strings). Query parameters are Npgsql connection-string keywords and override the
/// defaults set here.
/// </summary>
internal static class PostgresUrl
{
    /// <summary>Server-side limit on one statement, lock waits included: a stuck lock becomes a 503 the client
    /// retries, not a request that hangs.</summary>
    public const int StatementTimeoutMilliseconds = 30_000;

    public static bool TryParse(string url, out NpgsqlConnectionStringBuilder builder, out string? error)
    {
        builder = new NpgsqlConnectionStringBuilder();
        error = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
        {
            error = "expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE";
            return false;
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        var userInfo = uri.UserInfo.Split(':', 2);
        var user = Uri.UnescapeDataString(userInfo[0]);
        if (uri.Host.Length == 0 || database.Length == 0 || database.Contains('/', StringComparison.Ordinal) || user.Length == 0)
        {
            error = "expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (user, host and database are required)";
            return false;
        }

        builder.Host = uri.Host;
        builder.Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port;
        builder.Username = user;
        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        builder.Database = database;
        builder.ApplicationName = "offline-sync-server";
        // A database that does not answer fails startup (and a request) within seconds instead of the default 15.
        builder.Timeout = 10;
        // The client-side backstop of statement_timeout, a little later so that the server's error is the one seen.
        builder.CommandTimeout = StatementTimeoutMilliseconds / 1000 + 5;
        builder.Options = $"-c statement_timeout={StatementTimeoutMilliseconds}";
        // Per server process; several replicas share the database's max_connections (100 by default).
        builder.MaxPoolSize = 20;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var keyword = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            try
            {
                builder[keyword] = value;
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                error = $"query parameter '{keyword}': {exception.Message}";
                return false;
            }
        }

        return true;
    }

    /// <summary>The URL without its password, for messages.</summary>
    public static string Redact(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            return url;
        }

        var user = uri.UserInfo.Split(':', 2)[0];
        return new UriBuilder(uri) { UserName = Uri.UnescapeDataString(user), Password = "***" }.Uri.ToString();
    }
}

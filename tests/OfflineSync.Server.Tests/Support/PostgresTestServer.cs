namespace OfflineSync.Server.Tests.Support;

/// <summary>
/// The PostgreSQL server the Postgres variants run on: <c>OFFLINE_SYNC_TEST_POSTGRES</c> holds its URL
/// (scripts/test.sh starts a throwaway cluster with scripts/postgres.sh and sets it). Without it the tests are skipped
/// with that reason, except under CI (<c>CI=true</c>), where they must run: there they fail.
/// </summary>
internal static class PostgresTestServer
{
    public const string UrlVariable = "OFFLINE_SYNC_TEST_POSTGRES";

    private const string Missing =
        $"{UrlVariable} is not set: start a cluster with `export {UrlVariable}=$(bash scripts/postgres.sh start)` (stop it with `bash scripts/postgres.sh stop`)";

    /// <summary>The base URL, or a skip (locally) or failure (CI) saying how to get one.</summary>
    public static string Url
    {
        get
        {
            var url = Environment.GetEnvironmentVariable(UrlVariable);
            if (!string.IsNullOrWhiteSpace(url))
            {
                return url.Trim();
            }

            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"CI=true requires the PostgreSQL tests to run. {Missing}");
            }

            Skip.If(true, Missing);
            throw new InvalidOperationException("unreachable");
        }
    }
}

using System.Globalization;
using OfflineSync.Server.Storage.Postgres;

namespace OfflineSync.Server.Hosting;

internal static class ServerCommandLine
{
    public const string Usage = """
        usage: offline-sync-server --port P (--data-dir D | --store postgres://USER[:PASSWORD]@HOST[:PORT]/DB) [options]

          --port P                 loopback port to bind (0 = pick a free one); always http://127.0.0.1:P
          --data-dir D             directory of the SQLite database (created if missing); the default store
          --store URL              a PostgreSQL database instead (schema created or migrated at startup); several
                                   servers may share one. URL query parameters are Npgsql connection-string keywords
          --token T                require "Authorization: Bearer T" on /sync requests but health (account "default")
          --account ID=TOKEN       one more account and its token (repeatable); a token is then required
          --seed N                 seed of the fault-injection random source (reproducible fault runs)
          --max-batch N            most commands in one POST /sync/commands (default 500)
          --max-body-bytes N       largest request body (default 16777216)
          --retention-hours H      how long idempotency keys are remembered (default 168 = 7 days)
          --help                   show this text

        The first line on stdout is "listening on http://127.0.0.1:NNNN".
        """;

    public static CommandLineResult Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int? port = null;
        string? dataDirectory = null;
        string? postgresUrl = null;
        string? token = null;
        var accounts = new Dictionary<string, string>(StringComparer.Ordinal);
        int? seed = null;
        var maxBatch = SyncServerOptions.DefaultMaxBatchCommands;
        var maxBodyBytes = SyncServerOptions.DefaultMaxBodyBytes;
        var retention = TimeSpan.FromDays(7);

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h")
            {
                return new CommandLineResult(null, null, ShowHelp: true);
            }

            if (i + 1 >= args.Count)
            {
                return Fail($"{name}: missing value");
            }

            var value = args[++i];
            switch (name)
            {
                case "--port":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedPort) || parsedPort > 65_535)
                    {
                        return Fail($"--port: expected 0-65535, got '{value}'");
                    }

                    port = parsedPort;
                    break;
                case "--data-dir":
                    dataDirectory = value;
                    break;
                case "--store":
                    if (!PostgresUrl.TryParse(value, out _, out var urlError))
                    {
                        return Fail($"--store: {urlError}");
                    }

                    postgresUrl = value;
                    break;
                case "--token":
                    if (value.Length == 0)
                    {
                        return Fail("--token: must not be empty");
                    }

                    token = value;
                    break;
                case "--account":
                    var equals = value.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0 || equals == value.Length - 1)
                    {
                        return Fail($"--account: expected ID=TOKEN, got '{value}'");
                    }

                    if (!accounts.TryAdd(value[(equals + 1)..], value[..equals]))
                    {
                        return Fail("--account: two accounts cannot share a token");
                    }

                    break;
                case "--seed":
                    if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsedSeed))
                    {
                        return Fail($"--seed: expected an integer, got '{value}'");
                    }

                    seed = parsedSeed;
                    break;
                case "--max-batch":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out maxBatch) || maxBatch < 1)
                    {
                        return Fail($"--max-batch: expected a positive integer, got '{value}'");
                    }

                    break;
                case "--max-body-bytes":
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out maxBodyBytes) || maxBodyBytes < 1024)
                    {
                        return Fail($"--max-body-bytes: expected an integer of at least 1024, got '{value}'");
                    }

                    break;
                case "--retention-hours":
                    if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var hours) || hours > 24 * 365 * 10)
                    {
                        return Fail($"--retention-hours: expected a non-negative number of hours, got '{value}'");
                    }

                    retention = TimeSpan.FromHours(hours);
                    break;
                default:
                    return Fail($"unknown option '{name}'");
            }
        }

        if (port is null)
        {
            return Fail("--port is required");
        }

        if (postgresUrl is not null && dataDirectory is not null)
        {
            return Fail("--data-dir and --store: give one store, not both");
        }

        if (postgresUrl is null && string.IsNullOrWhiteSpace(dataDirectory))
        {
            return Fail("--data-dir is required (or --store postgres://…)");
        }

        var options = new SyncServerOptions
        {
            Port = port.Value,
            DataDirectory = dataDirectory,
            PostgresUrl = postgresUrl,
            Token = token,
            Accounts = accounts,
            Seed = seed,
            MaxBatchCommands = maxBatch,
            MaxBodyBytes = maxBodyBytes,
            IdempotencyRetention = retention,
        };
        return new CommandLineResult(options, null, ShowHelp: false);
    }

    private static CommandLineResult Fail(string error) => new(null, error, ShowHelp: false);
}

using System.Globalization;
using Npgsql;
using OfflineSidecar.Bench.Infra;

namespace OfflineSidecar.Bench.Server;

/// <summary>
/// A fresh schema for one run of the server on PostgreSQL (BENCH_POSTGRES, a postgres:// URL; bench/run.sh starts a
/// throwaway cluster with scripts/postgres.sh when it is not set), and the CPU the database cluster spends: the
/// postmaster and its children (the backends serving the run), read from /proc.
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private readonly string adminConnectionString;
    private readonly string schema;
    private readonly int postmasterPid;

    private BenchPostgres(string adminConnectionString, string schema, string storeUrl, int postmasterPid)
    {
        this.adminConnectionString = adminConnectionString;
        this.schema = schema;
        StoreUrl = storeUrl;
        this.postmasterPid = postmasterPid;
    }

    /// <summary>The server's --store URL, searching this run's schema.</summary>
    public string StoreUrl { get; }

    public static async Task<BenchPostgres> CreateAsync(string url)
    {
        var uri = new Uri(url);
        var user = Uri.UnescapeDataString(uri.UserInfo.Split(':', 2)[0]);
        var password = uri.UserInfo.Contains(':', StringComparison.Ordinal) ? Uri.UnescapeDataString(uri.UserInfo.Split(':', 2)[1]) : null;
        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Username = user,
            Password = password,
            Database = uri.AbsolutePath.TrimStart('/'),
            Pooling = false,
        }.ConnectionString;
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var backend = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backendPid = (int)(await backend.ExecuteScalarAsync())!;
        var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return new BenchPostgres(admin, schema, $"{url}{separator}Search%20Path={schema}", ParentOf(backendPid));
    }

    /// <summary>CPU used so far by the postmaster and its live children.</summary>
    public TimeSpan ClusterCpu()
    {
        var total = ProcessCpu.Of(postmasterPid);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid != postmasterPid
                && ParentOf(pid) == postmasterPid && ProcessCpu.Of(pid) is { } cpu && cpu >= TimeSpan.Zero)
            {
                total += cpu;
            }
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static int ParentOf(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("PPid:", StringComparison.Ordinal))
                {
                    return int.Parse(line["PPid:".Length..].Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // Gone meanwhile.
        }

        return -1;
    }
}

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace OfflineSidecar.Integration.Tests.Support;

/// <summary>
/// Several reference servers on one PostgreSQL database behind haproxy (scripts/replicas.sh), each in a schema of
/// its own of the cluster <c>OFFLINE_SYNC_TEST_POSTGRES</c> names (scripts/test.sh starts one). Without it the test is
/// skipped locally and fails under CI=true.
/// </summary>
internal sealed class ReplicatedServers : IAsyncDisposable, IServerReads
{
    public const string UrlVariable = "OFFLINE_SYNC_TEST_POSTGRES";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TempDirectory directory;
    private readonly string baseUrl;
    private readonly string schema;
    private readonly HttpClient http;

    private readonly List<HttpClient> admins;

    private ReplicatedServers(TempDirectory directory, string baseUrl, string schema, Uri balancer, string token)
    {
        admins = [.. File.ReadLines(Path.Combine(directory.Path, "state"))
            .Where(l => l.StartsWith("replica_", StringComparison.Ordinal) && l.Contains("_url=", StringComparison.Ordinal))
            .Select(l => new HttpClient { BaseAddress = new Uri(l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..].TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) })];
        this.directory = directory;
        this.baseUrl = baseUrl;
        this.schema = schema;
        Balancer = balancer;
        http = new HttpClient { BaseAddress = balancer, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Uri Balancer { get; }

    /// <param name="serverArguments">Tokens and accounts, as for one server.</param>
    public static async Task<ReplicatedServers> StartAsync(int replicas, string readToken, params string[] serverArguments)
    {
        var baseUrl = Environment.GetEnvironmentVariable(UrlVariable);
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            const string Missing = $"{UrlVariable} is not set: export {UrlVariable}=$(bash scripts/postgres.sh start)";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException("CI=true requires the replicated-server tests to run. " + Missing);
            }

            Skip.If(true, Missing);
        }

        var schema = "it_" + Guid.NewGuid().ToString("N");
        await RunAsync("psql", "-q", baseUrl!, "-c", $"CREATE SCHEMA {schema}");
        var directory = new TempDirectory("replicas");
        var separator = baseUrl!.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        // The same server build the other integration tests run (its apphost beside the dll).
        var server = Path.ChangeExtension(RepoPaths.ServerDll, null);
        await RunAsync(
            "bash",
            new Dictionary<string, string> { ["REPLICAS_DIR"] = directory.Path, ["SYNC_SERVER"] = server },
            [Path.Combine(RepoPaths.Root, "scripts", "replicas.sh"), "start", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), "--",
                "--store", $"{baseUrl}{separator}Search%20Path={schema}", .. serverArguments]);
        var balancer = State(directory.Path, "balancer") ?? throw new InvalidOperationException("replicas.sh wrote no balancer URL");
        return new ReplicatedServers(directory, baseUrl, schema, new Uri(balancer.TrimEnd('/') + "/"), readToken);
    }

    /// <summary>kill -9 of replica <paramref name="replica"/> (1-based): whatever it was doing stops mid-way.</summary>
    public Task KillAsync(int replica) => Script("kill", replica.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The same faults on every replica (each process has its own: set through the balancer, one would get them).</summary>
    public async Task SetFaultsAsync(object faults)
    {
        foreach (var admin in admins)
        {
            using var response = await admin.PostAsJsonAsync("admin/faults", faults, Json);
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Every replica's counters, summed.</summary>
    public async Task<ServerStats> GetStatsAsync()
    {
        var all = new List<ServerStats>();
        foreach (var admin in admins)
        {
            all.Add((await admin.GetFromJsonAsync<ServerStats>("admin/stats", Json))!);
        }

        return new ServerStats(
            all.Sum(s => s.Applied), all.Sum(s => s.Duplicates), all.Sum(s => s.Conflicts), all.Sum(s => s.Rejected),
            all.Sum(s => s.Retries), all.Sum(s => s.Requests), all.Sum(s => s.CommandRequests), all.Sum(s => s.FaultResponses));
    }

    /// <summary>An entity as the shared database holds it (any replica's admin read).</summary>
    public Task<ServerEntity?> ReadEntityAsync(string workspaceId, string entityId) => ServerReads.EntityAsync(admins[0], workspaceId, entityId);

    /// <summary>Every change of the workspace in commit order, read through the balancer (any replica answers).</summary>
    public Task<List<ServerChange>> ReadAllChangesAsync(string workspaceId) => ServerReads.AllChangesAsync(http, workspaceId);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Script("stop");
            await RunAsync("psql", "-q", baseUrl, "-c", $"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
        finally
        {
            admins.ForEach(a => a.Dispose());
            http.Dispose();
            directory.Dispose();
        }
    }

    private Task Script(params string[] arguments) => RunAsync(
        "bash",
        new Dictionary<string, string> { ["REPLICAS_DIR"] = directory.Path },
        [Path.Combine(RepoPaths.Root, "scripts", "replicas.sh"), .. arguments]);

    private static string? State(string directory, string key) =>
        File.ReadLines(Path.Combine(directory, "state")).Where(l => l.StartsWith(key + "=", StringComparison.Ordinal)).Select(l => l[(key.Length + 1)..]).LastOrDefault();

    private static Task RunAsync(string program, params string[] arguments) => RunAsync(program, new Dictionary<string, string>(), arguments);

    private static async Task RunAsync(string program, Dictionary<string, string> environment, string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await output} {await errors}");
        }
    }
}

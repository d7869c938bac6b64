using System.Diagnostics;
using System.Globalization;
using OfflineSidecar.Bench.Infra;

namespace OfflineSidecar.Bench.Server;

/// <summary>N replicas of the published server behind haproxy, started and stopped by scripts/replicas.sh.</summary>
internal sealed class ReplicaSet : IAsyncDisposable
{
    private readonly TempDirectory directory;
    private readonly int[] pids;

    private ReplicaSet(TempDirectory directory, string balancer, int[] pids)
    {
        this.directory = directory;
        Balancer = balancer;
        this.pids = pids;
    }

    public string Balancer { get; }

    public static async Task<ReplicaSet> StartAsync(int replicas, IReadOnlyList<string> serverArguments)
    {
        var directory = new TempDirectory("replicas");
        await ScriptAsync(directory.Path, ["start", replicas.ToString(CultureInfo.InvariantCulture), "--", .. serverArguments]);
        var state = File.ReadAllLines(Path.Combine(directory.Path, "state"));
        string Get(string key) => state.Last(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];
        var pids = Enumerable.Range(1, replicas).Select(i => int.Parse(Get($"replica_{i}_pid"), CultureInfo.InvariantCulture)).ToArray();
        return new ReplicaSet(directory, Get("balancer"), pids);
    }

    /// <summary>CPU of every replica so far (haproxy's is left out: it is the same for every configuration's front).</summary>
    public TimeSpan ServerCpu() => pids.Aggregate(TimeSpan.Zero, (sum, pid) => sum + ProcessCpu.Of(pid));

    public async ValueTask DisposeAsync()
    {
        await ScriptAsync(directory.Path, ["stop"]);
        directory.Dispose();
    }

    private static async Task ScriptAsync(string directory, string[] arguments)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(BenchPaths.RepoRoot, "scripts", "replicas.sh"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["REPLICAS_DIR"] = directory;
        info.Environment["SYNC_SERVER"] = BenchPaths.SyncServer;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"replicas.sh {string.Join(' ', arguments)}: exit {process.ExitCode}: {await output}{await errors}");
        }
    }
}

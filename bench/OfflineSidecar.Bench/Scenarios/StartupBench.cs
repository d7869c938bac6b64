using System.Diagnostics;
using System.Globalization;
using OfflineSidecar.Bench.Infra;
using OfflineSidecar.Bench.Rpc;
using OfflineSidecar.Bench.Seeding;
using OfflineSidecar.Core.Storage;

namespace OfflineSidecar.Bench.Scenarios;

/// <summary>
/// Process spawn → initialize answered (median of N runs) with a fresh and an existing data dir, idle RSS after
/// initialize + initialized + a few idle seconds, the RSS of 10 idle sidecars together, and the parts of the start-up
/// for context. Targets are those of the shipped NativeAOT build; BENCH_SIDECAR_ALT (the ReadyToRun build) is measured
/// the same way in the same run, its rows against the same targets.
/// </summary>
internal static class StartupBench
{
    private const double TargetMs = 30;
    private const double TargetRssMib = 20;
    private const int ExistingRows = 10_000;
    private const int FleetSize = 10;

    public static async Task RunAsync(ResultSink sink, int runs, TimeSpan idle)
    {
        ArgumentNullException.ThrowIfNull(sink);
        sink.Add("runtime floor: `offline-sidecar --version` spawn → exit: median", VersionMedianMs(runs), "ms", note: $"runs={runs}");

        var fresh = new LatencySamples(runs);
        for (var i = 0; i < runs; i++)
        {
            using var dir = new TempDirectory("startup");
            fresh.Add(await InitializeOnceAsync(dir.Path));
        }

        Report(sink, "fresh data dir", fresh, runs);

        using var existing = new TempDirectory("startup-existing");
        await QueueSeeder.SeedAsync(existing.Path, ExistingRows, 1000);
        var warm = new LatencySamples(runs);
        for (var i = 0; i < runs; i++)
        {
            warm.Add(await InitializeOnceAsync(existing.Path));
        }

        Report(sink, $"existing data dir ({ExistingRows:#,0} queued)", warm, runs);
        sink.Add($"in-process SqliteOperationStore.Open, existing ({ExistingRows:#,0} queued): median", StoreOpenMedianMs(existing.Path, runs), "ms",
            note: "includes PRAGMA quick_check");

        using (var dir = new TempDirectory("startup-rss"))
        {
            await IdleRssAsync(sink, dir.Path, "fresh data dir", idle);
        }

        await IdleRssAsync(sink, existing.Path, $"existing data dir ({ExistingRows:#,0} queued)", idle);
        await FleetRssAsync(sink, "", idle);

        // BENCH_SIDECAR_ALT: another build of the sidecar (the ReadyToRun one beside NativeAOT) measured the same way.
        if (Environment.GetEnvironmentVariable("BENCH_SIDECAR_ALT") is { Length: > 0 } alternative)
        {
            var alt = new LatencySamples(runs);
            for (var i = 0; i < runs; i++)
            {
                using var dir = new TempDirectory("startup-alt");
                alt.Add(await InitializeOnceAsync(dir.Path, alternative));
            }

            sink.Add("BENCH_SIDECAR_ALT: spawn → initialize answered, fresh data dir: median", alt.PercentileMs(50), "ms", $"< {TargetMs} ms", alt.PercentileMs(50) < TargetMs,
                $"runs={runs}");
            sink.Add("BENCH_SIDECAR_ALT: spawn → initialize answered, fresh data dir: max", alt.PercentileMs(100), "ms");
            using var rssDir = new TempDirectory("startup-alt-rss");
            await IdleRssAsync(sink, rssDir.Path, "fresh data dir, BENCH_SIDECAR_ALT", idle, alternative);
            await FleetRssAsync(sink, ", BENCH_SIDECAR_ALT", idle, alternative);
            sink.Note($"BENCH_SIDECAR_ALT = {alternative}");
        }
        sink.Note("spawn → initialize answered is measured from just before Process.Start to the answer's frame; the OS page cache is warm (binaries and database read before).");
    }

    private static void Report(ResultSink sink, string label, LatencySamples samples, int runs)
    {
        var median = samples.PercentileMs(50);
        sink.Add($"spawn → initialize answered, {label}: median", median, "ms", $"< {TargetMs} ms", median < TargetMs, $"runs={runs}");
        sink.Add($"spawn → initialize answered, {label}: max", samples.PercentileMs(100), "ms");
    }

    private static async Task<long> InitializeOnceAsync(string dataDir, string? binary = null)
    {
        await using var sidecar = SidecarProcess.Start(dataDir, binary);
        return await sidecar.InitializeAsync(new SidecarLaunch(dataDir));
    }

    private static async Task IdleRssAsync(ResultSink sink, string dataDir, string label, TimeSpan idle, string? binary = null)
    {
        await using var sidecar = await SidecarProcess.StartReadyAsync(new SidecarLaunch(dataDir), binary);
        using (var reply = await sidecar.Client.CallAsync("offlineSync/getStatus", RequestWriters.Empty))
        {
            _ = reply.Result;
        }

        await Task.Delay(idle);
        var rssMib = sidecar.ResidentKib() / 1024.0;
        sink.Add($"idle RSS after initialize + {idle.TotalSeconds:0} s, {label}", rssMib, "MiB", $"< {TargetRssMib} MB", rssMib < TargetRssMib);
        sink.Add($"  of which anonymous (RssAnon: heaps, JIT, stacks), {label}", sidecar.ResidentKib("RssAnon") / 1024.0, "MiB");
        sink.Add($"  of which file-backed (RssFile: mapped binaries, shareable), {label}", sidecar.ResidentKib("RssFile") / 1024.0, "MiB");
        sink.Add($"  of which shared memory (RssShmem: the runtime's double-mapped code), {label}", sidecar.ResidentKib("RssShmem") / 1024.0, "MiB");
        sink.Add($"peak RSS (VmHWM), {label}", sidecar.ResidentKib("VmHWM") / 1024.0, "MiB");
    }

    /// <summary>
    /// 10 sidecars on their own data dirs, all initialized and idle together (as 10 VS Code windows would be): VmRSS
    /// summed, and Pss summed (/proc/&lt;pid&gt;/smaps_rollup: shared file pages split between the processes that map
    /// them), which is what the 10 cost the machine.
    /// </summary>
    private static async Task FleetRssAsync(ResultSink sink, string label, TimeSpan idle, string? binary = null)
    {
        var dirs = new List<TempDirectory>();
        var fleet = new List<SidecarProcess>();
        try
        {
            for (var i = 0; i < FleetSize; i++)
            {
                var dir = new TempDirectory("startup-fleet");
                dirs.Add(dir);
                var sidecar = await SidecarProcess.StartReadyAsync(new SidecarLaunch(dir.Path), binary);
                fleet.Add(sidecar);
                using var reply = await sidecar.Client.CallAsync("offlineSync/getStatus", RequestWriters.Empty);
                _ = reply.Result;
            }

            await Task.Delay(idle);
            sink.Add($"{FleetSize} sidecars idle together: VmRSS summed{label}", fleet.Sum(s => s.ResidentKib()) / 1024.0, "MiB");
            sink.Add($"{FleetSize} sidecars idle together: Pss summed{label}", fleet.Sum(ProportionalKib) / 1024.0, "MiB");
        }
        finally
        {
            foreach (var sidecar in fleet)
            {
                await sidecar.DisposeAsync();
            }

            foreach (var dir in dirs)
            {
                dir.Dispose();
            }
        }
    }

    private static long ProportionalKib(SidecarProcess sidecar)
    {
        foreach (var line in File.ReadLines($"/proc/{sidecar.Pid}/smaps_rollup"))
        {
            if (line.StartsWith("Pss:", StringComparison.Ordinal))
            {
                return long.Parse(line["Pss:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    private static double VersionMedianMs(int runs)
    {
        var samples = new LatencySamples(runs);
        for (var i = 0; i < runs; i++)
        {
            var info = new ProcessStartInfo(BenchPaths.Sidecar, "--version") { RedirectStandardOutput = true, UseShellExecute = false };
            var started = Stopwatch.GetTimestamp();
            using var process = Process.Start(info)!;
            _ = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            samples.Add(Stopwatch.GetTimestamp() - started);
        }

        return samples.PercentileMs(50);
    }

    private static double StoreOpenMedianMs(string dataDir, int runs)
    {
        var samples = new LatencySamples(runs);
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using (SqliteOperationStore.Open(new StoreOptions { DatabasePath = Path.Combine(dataDir, "offline-sidecar.db") }, TimeProvider.System))
            {
                samples.Add(Stopwatch.GetTimestamp() - started);
            }
        }

        return samples.PercentileMs(50);
    }
}

using System.Diagnostics;
using System.Globalization;
using OfflineSidecar.Bench.Infra;
using OfflineSidecar.Bench.QueueFiles;

namespace OfflineSidecar.Bench.Scenarios;

/// <summary>
/// LiteDB 5 against SQLite as the queue's file, on the guarantees the queue promises: acknowledged inserts/s with 1
/// and 8 writers; whether an acknowledged insert survives a SIGKILL right after its answer (a child process inserts
/// and prints each acknowledged id, the bench kills it at a random moment, reopens the file and looks for every id);
/// and two processes writing one file at once, as two VS Code windows on one data directory do.
/// </summary>
internal static class QueueFileBench
{
    /// <summary>LiteDB's shared mode is the one that two processes can use (see the two-process part), so it is measured too.</summary>
    private static readonly string[] Engines = [QueueEngine.LiteDb, QueueEngine.LiteDbShared, QueueEngine.Sqlite, QueueEngine.Store];

    public static async Task RunAsync(ResultSink sink, int inserts, int kills, TimeSpan killBudget, int twoProcessInserts)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var parts = Environment.GetEnvironmentVariable("BENCH_QUEUEFILE_PARTS") is { Length: > 0 } text ? text.Split(',') : ["rate", "fsync", "kill", "two"];
        if (parts.Contains("rate"))
        {
            // Engines alternate within each round (the first one rotates), so a loaded machine weighs on all alike.
            var rounds = Environment.GetEnvironmentVariable("BENCH_QUEUEFILE_ROUNDS") is { Length: > 0 } r ? int.Parse(r, CultureInfo.InvariantCulture) : 3;
            foreach (var writers in new[] { 1, 8 })
            {
                var results = Engines.ToDictionary(engine => engine, _ => new List<(double Rate, double P50, double P99)>());
                for (var round = 0; round < rounds; round++)
                {
                    foreach (var engine in Engines.Skip(round % Engines.Length).Concat(Engines.Take(round % Engines.Length)))
                    {
                        results[engine].Add(Throughput(engine, writers, inserts));
                    }
                }

                foreach (var engine in Engines)
                {
                    var runs = results[engine];
                    var label = $"{QueueEngine.Describe(engine)}, {writers} writer{(writers == 1 ? "" : "s")}";
                    sink.Add($"{label}: acknowledged inserts (median)", Median(runs.Select(x => x.Rate)), "ops/s",
                        note: $"N={inserts}, {rounds} rounds, {runs.Min(x => x.Rate):0}–{runs.Max(x => x.Rate):0}");
                    sink.Add($"{label}: latency p50 (median)", Median(runs.Select(x => x.P50)), "ms");
                    sink.Add($"{label}: latency p99 (median)", Median(runs.Select(x => x.P99)), "ms");
                }
            }
        }

        if (parts.Contains("fsync"))
        {
            foreach (var engine in Engines)
            {
                await FsyncsAsync(sink, engine, Math.Min(inserts, 500));
            }
        }

        if (parts.Contains("kill"))
        {
            var engines = Environment.GetEnvironmentVariable("BENCH_KILL_ENGINES") is { Length: > 0 } list ? list.Split(',') : [QueueEngine.LiteDb, QueueEngine.LiteDbShared, QueueEngine.Store];
            foreach (var engine in engines)
            {
                await KillAsync(sink, engine, kills, killBudget);
            }
        }

        if (parts.Contains("two"))
        {
            foreach (var engine in Engines)
            {
                await TwoProcessesAsync(sink, engine, twoProcessInserts,
                    Environment.GetEnvironmentVariable("BENCH_TWO_PROCESS_TRIALS") is { Length: > 0 } t ? int.Parse(t, CultureInfo.InvariantCulture) : 5);
            }
        }

        sink.Note("Each queue file in BENCH_TMP (the repository's disk). LiteDB 5.0.21 has no durability setting (its connection string: "
            + "Filename, Connection direct|shared, Password, InitialSize, ReadOnly, Upgrade, AutoRebuild, Collation); SQLite runs WAL + synchronous=FULL. "
            + "SIGKILL loses the process, not the OS page cache: it shows what a library acknowledges before handing the write to the OS, not power-loss durability.");
    }

    private static (double Rate, double P50, double P99) Throughput(string engine, int writers, int inserts)
    {
        using var dir = new TempDirectory("queuefile");
        using var file = QueueEngine.Open(engine, Path.Combine(dir.Path, "queue.db"));
        Insert(file, "warm", Math.Min(200, inserts), writers);
        var (elapsed, latency) = Insert(file, "run", inserts, writers);
        return (inserts / elapsed.TotalSeconds, latency.PercentileMs(50), latency.PercentileMs(99));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static (TimeSpan Elapsed, LatencySamples Latency) Insert(IQueueFile file, string prefix, int inserts, int writers)
    {
        long next = 0;
        var perWriter = new LatencySamples[writers];
        var started = Stopwatch.GetTimestamp();
        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
        {
            var samples = perWriter[w] = new LatencySamples();
            using var writer = file.OpenWriter();
            for (var index = Interlocked.Increment(ref next); index <= inserts; index = Interlocked.Increment(ref next))
            {
                var one = Stopwatch.GetTimestamp();
                writer.Insert(QueueDocument.Make(prefix, index));
                samples.Add(Stopwatch.GetTimestamp() - one);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = new LatencySamples(inserts);
        foreach (var samples in perWriter)
        {
            all.AddRange(samples);
        }

        return (elapsed, all);
    }

    /// <summary>How many fsync/fdatasync calls the library makes per acknowledged insert: one child, one writer, under
    /// <c>strace -f -c</c> (skipped when strace is not installed).</summary>
    private static async Task FsyncsAsync(ResultSink sink, string engine, int inserts)
    {
        var strace = new[] { "/usr/bin/strace", "/bin/strace" }.FirstOrDefault(File.Exists);
        if (strace is null)
        {
            sink.Note("fsync counts skipped: strace is not installed (apt-get install strace)");
            return;
        }

        using var dir = new TempDirectory("queuefsync");
        var summary = Path.Combine(dir.Path, "strace.txt");
        using var child = new QueueChildProcess(engine, Path.Combine(dir.Path, "queue.db"), "f", inserts, 1,
            [strace, "-f", "-c", "-e", "trace=fsync,fdatasync", "-o", summary]);
        await child.WaitAsync(TimeSpan.FromSeconds(300));
        // The summary's last line: "100.00  <seconds>  <usecs/call>  <calls>  [errors]  total" (no line when there were none).
        var total = File.Exists(summary) ? File.ReadLines(summary).LastOrDefault(line => line.TrimEnd().EndsWith("total", StringComparison.Ordinal)) : null;
        var calls = total is null ? 0 : long.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], CultureInfo.InvariantCulture);
        sink.Add($"{QueueEngine.Describe(engine)}: fsync + fdatasync per acknowledged insert (open and close included)",
            (double)calls / Math.Max(1, child.Acknowledged.Count), "calls", note: $"{calls} calls for {child.Acknowledged.Count} inserts, 1 writer");
    }

    /// <summary>One file, reused across kills (each restart recovers what the last one left); a file that no longer
    /// opens is counted, kept aside and replaced.</summary>
    private static async Task KillAsync(ResultSink sink, string engine, int kills, TimeSpan budget)
    {
        using var dir = new TempDirectory("queuekill");
        var path = Path.Combine(dir.Path, "queue.db");
        var random = new Random(20);
        var writers = Environment.GetEnvironmentVariable("BENCH_KILL_WRITERS") is { Length: > 0 } w ? int.Parse(w, CultureInfo.InvariantCulture) : 4;
        int done = 0, roundsWithLoss = 0, unopenable = 0, noAck = 0;
        long acknowledged = 0, lost = 0;
        string? firstOpenError = null;
        var started = Stopwatch.GetTimestamp();
        while (done < kills && Stopwatch.GetElapsedTime(started) < budget)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"k{done:D4}");
            using var child = new QueueChildProcess(engine, path, prefix, count: 0, writers);
            await child.FirstAcknowledged;
            // A random moment once inserts flow: 0-100 ms after the first acknowledgement.
            await Task.Delay(random.Next(0, 100));
            child.Kill();
            await child.WaitAsync(TimeSpan.FromSeconds(30));
            done++;
            if (child.Acknowledged.Count == 0)
            {
                noAck++;
                firstOpenError ??= child.Error;
                continue;
            }

            acknowledged += child.Acknowledged.Count;
            try
            {
                using var file = QueueEngine.Open(engine, path);
                var missing = child.Acknowledged.Count(id => !file.Contains(id));
                lost += missing;
                roundsWithLoss += missing > 0 ? 1 : 0;
            }
#pragma warning disable CA1031 // a file that does not open again is a finding, not a failure of the bench
            catch (Exception ex)
#pragma warning restore CA1031
            {
                unopenable++;
                lost += child.Acknowledged.Count;
                firstOpenError ??= $"{ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}";
                foreach (var leftover in Directory.GetFiles(dir.Path))
                {
                    File.Move(leftover, leftover + $".damaged-{done}");
                }
            }
        }

        var label = $"kill -9, {QueueEngine.Describe(engine)}, {writers} writers";
        sink.Add($"{label}: kills", done, "kills", note: $"{Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
        sink.Add($"{label}: acknowledged inserts before the kills", acknowledged, "ops");
        sink.Add($"{label}: acknowledged but missing after reopen", lost, "ops");
        sink.Add($"{label}: kills that lost an acknowledged insert", roundsWithLoss, "kills");
        sink.Add($"{label}: reopen failed (file set aside)", unopenable, "kills");
        if (noAck > 0)
        {
            sink.Note($"{label}: {noAck} child(ren) acknowledged nothing before the kill");
        }

        if (firstOpenError is not null)
        {
            sink.Note($"{label}: first error: {firstOpenError}");
        }
    }

    /// <summary>Two child processes insert into one file at the same time, then each counts what it sees; repeated,
    /// since what goes wrong when two processes share a file depends on how their writes interleave.</summary>
    private static async Task TwoProcessesAsync(ResultSink sink, string engine, int inserts, int trials)
    {
        long acknowledged = 0, missing = 0;
        int crashed = 0, silentLoss = 0;
        string? firstProblem = null;
        var elapsed = TimeSpan.Zero;
        for (var trial = 0; trial < trials; trial++)
        {
            using var dir = new TempDirectory("queuetwo");
            var path = Path.Combine(dir.Path, "queue.db");
            // Create the file first, as the first window does.
            QueueEngine.Open(engine, path).Dispose();
            using var first = new QueueChildProcess(engine, path, "pa", inserts, 1);
            using var second = new QueueChildProcess(engine, path, "pb", inserts, 1);
            var started = Stopwatch.GetTimestamp();
            var codes = await Task.WhenAll(first.WaitAsync(TimeSpan.FromSeconds(180)), second.WaitAsync(TimeSpan.FromSeconds(180)));
            elapsed += Stopwatch.GetElapsedTime(started);
            long gone = 0;
            string? reopenError = null;
            try
            {
                using var file = QueueEngine.Open(engine, path);
                gone = first.Acknowledged.Concat(second.Acknowledged).Count(id => !file.Contains(id));
            }
#pragma warning disable CA1031 // reported
            catch (Exception ex)
#pragma warning restore CA1031
            {
                reopenError = $"{ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}";
                gone = first.Acknowledged.Count + second.Acknowledged.Count;
            }

            acknowledged += first.Acknowledged.Count + second.Acknowledged.Count;
            missing += gone;
            var died = codes.Any(code => code != 0);
            crashed += died ? 1 : 0;
            silentLoss += !died && gone > 0 ? 1 : 0;
            if ((died || gone > 0 || reopenError is not null) && firstProblem is null)
            {
                firstProblem = $"trial {trial + 1}: A exit {codes[0]}, acknowledged {first.Acknowledged.Count}, saw {Show(first.SeenAtEnd)}{Show(first.Error ?? (codes[0] == 0 ? null : first.Crash))}; "
                    + $"B exit {codes[1]}, acknowledged {second.Acknowledged.Count}, saw {Show(second.SeenAtEnd)}{Show(second.Error ?? (codes[1] == 0 ? null : second.Crash))}; "
                    + $"{gone} acknowledged missing on reopen{(reopenError is null ? "" : $" (reopen failed: {reopenError})")}";
            }
        }

        var label = $"two processes, {QueueEngine.Describe(engine)}, {inserts} inserts each";
        sink.Add($"{label}: trials", trials, "trials", note: $"{acknowledged / elapsed.TotalSeconds:0} acknowledged ops/s together");
        sink.Add($"{label}: acknowledged", acknowledged, "ops");
        sink.Add($"{label}: acknowledged but missing afterwards", missing, "ops");
        sink.Add($"{label}: trials where a process died", crashed, "trials");
        sink.Add($"{label}: trials that lost acknowledged inserts with both processes exiting 0", silentLoss, "trials");
        if (firstProblem is not null)
        {
            sink.Note($"{label}: first problem: {firstProblem}");
        }
    }

    private static string Show(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "—";

    private static string Show(string? error) => error is null ? "" : $" (error: {error})";
}

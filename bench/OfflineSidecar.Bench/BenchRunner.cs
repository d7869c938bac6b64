using System.Globalization;
using OfflineSidecar.Bench.Diagnosis;
using OfflineSidecar.Bench.Infra;
using OfflineSidecar.Bench.QueueFiles;
using OfflineSidecar.Bench.Scenarios;

namespace OfflineSidecar.Bench;

/// <summary>Runs the named scenarios (all by default) and rebuilds test-results/bench/latest.{json,md}.</summary>
internal static class BenchRunner
{
    private static readonly string[] Order = ["enqueue", "query", "sqlite", "startup", "drain", "server", "documents", "team", "queuefile"];

    /// <summary>queuefile (LiteDB against SQLite, ~15 minutes with its 200 kills per engine) runs only when named.</summary>
    private static readonly string[] All = [.. Order.Where(name => name != "queuefile")];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == QueueChild.Verb)
        {
            return QueueChild.Run(args);
        }

        var requested = args.Length == 0 || args.Contains("all") ? All : args;
        foreach (var name in requested)
        {
            if (!Order.Contains(name))
            {
                await Console.Error.WriteLineAsync($"unknown scenario '{name}'; expected all|{string.Join('|', Order)}");
                return 2;
            }
        }

        foreach (var name in requested)
        {
            var sink = new ResultSink(name);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"== {name} (load {MachineLoad.OneMinute():0.00})"));
            await RunScenarioAsync(name, sink);
            sink.Save();
        }

        Console.WriteLine();
        Console.WriteLine(ResultSink.WriteSummary(Order));
        return 0;
    }

    private static async Task RunScenarioAsync(string name, ResultSink sink)
    {
        switch (name)
        {
            case "enqueue":
                await EnqueueBench.RunAsync(sink, Scale("BENCH_ENQUEUE_OPS", 20_000));
                break;
            case "query":
                await QueryBench.RunAsync(sink, Scale("BENCH_QUERY_ROWS", 1_000_000), Scale("BENCH_STATUS_CALLS", 1_000), Scale("BENCH_PAGE_CALLS", 200));
                break;
            case "drain":
                await DrainAsync(sink, Scale("BENCH_DRAIN_OPS", 100_000));
                break;
            case "startup":
                await StartupBench.RunAsync(sink, Scale("BENCH_STARTUP_RUNS", 20), TimeSpan.FromSeconds(Scale("BENCH_IDLE_SECONDS", 5)));
                break;
            case "server":
                await ServerAsync(sink, Scale("BENCH_SERVER_COMMANDS", 100_000));
                break;
            case "documents":
                await DocumentsBench.RunAsync(sink, Scale("BENCH_PULL_ENTITIES", 100_000), Scale("BENCH_CACHE_ENTITIES", 1_000_000), Scale("BENCH_CACHE_CALLS", 10_000));
                break;
            case "team":
                // BENCH_TEAM: the configurations, sqlite and pgN (N replicas on PostgreSQL behind haproxy).
                await TeamBench.RunAsync(
                    sink,
                    Scale("BENCH_TEAM_OPS", 40_000),
                    Environment.GetEnvironmentVariable("BENCH_POSTGRES"),
                    (Environment.GetEnvironmentVariable("BENCH_TEAM") is { Length: > 0 } team ? team : "sqlite,pg1,pg2,pg4").Split(','));
                break;
            case "queuefile":
                await QueueFileBench.RunAsync(sink, Scale("BENCH_QUEUEFILE_OPS", 3_000), Scale("BENCH_KILLS", 200),
                    TimeSpan.FromSeconds(Scale("BENCH_KILL_SECONDS", 300)), Scale("BENCH_TWO_PROCESS_OPS", 500));
                break;
            case "sqlite":
                SqliteBench.Run(sink, Scale("BENCH_SQLITE_ROWS", 100_000), Scale("BENCH_SQLITE_COMMIT_ROWS", 2_000));
                break;
            default:
                throw new InvalidOperationException(name);
        }
    }

    /// <summary>BENCH_DRAIN_PARTS (default "rpc,breakdown,flush"; "headline" = the first rpc run only; "inflight" and "store" on request) picks the parts of the drain scenario.</summary>
    private static async Task DrainAsync(ResultSink sink, int ops)
    {
        var parts = (Environment.GetEnvironmentVariable("BENCH_DRAIN_PARTS") is { Length: > 0 } text ? text : "rpc,breakdown,flush").Split(',');
        // "headline" is the first rpc run alone (1,000 entities, default batch): a quick before/after figure.
        if (parts.Contains("headline") && !parts.Contains("rpc"))
        {
            await DrainBench.RunAsync(sink, ops, 1_000, "1,000 entities");
        }

        if (parts.Contains("rpc"))
        {
            await DrainBench.RunAsync(sink, ops, 1_000, "1,000 entities");
            await DrainBench.RunAsync(sink, ops, ops, "one entity per operation");
            await DrainBench.RunAsync(sink, ops, 0, "no entityId (server rejects)");
            await DrainBench.RunAsync(sink, ops, 1_000, "1,000 entities, batchSize 500 (diagnosis)", batchSize: 500);
        }

        if (parts.Contains("breakdown"))
        {
            await DrainBreakdownBench.RunAsync(sink, ops, 1_000, 50);
            await DrainBreakdownBench.RunAsync(sink, ops, 1_000, 500);
        }

        if (parts.Contains("store"))
        {
            foreach (var size in (Environment.GetEnvironmentVariable("BENCH_STORE_BATCHES") is { Length: > 0 } sizes ? sizes : "50").Split(','))
            {
                await StoreDrainBench.RunAsync(sink, ops, 1_000, int.Parse(size, CultureInfo.InvariantCulture), 8);
            }
        }

        if (parts.Contains("inflight"))
        {
            // The pipeline depth at default batching: BENCH_DRAIN_INFLIGHT (default "1,2,4,8") lists the depths to compare.
            var depths = Environment.GetEnvironmentVariable("BENCH_DRAIN_INFLIGHT") is { Length: > 0 } list ? list : "1,2,4,8";
            foreach (var depth in depths.Split(','))
            {
                await DrainBreakdownBench.RunAsync(sink, ops, 1_000, 50, int.Parse(depth, CultureInfo.InvariantCulture));
            }
        }

        if (parts.Contains("flush"))
        {
            var down = TimeSpan.FromSeconds(Scale("BENCH_DOWN_SECONDS", 5));
            await FirstFlushBench.RunAsync(sink, 1_000, down, nudge: false);
            await FirstFlushBench.RunAsync(sink, 1_000, down, nudge: true);
        }
    }

    /// <summary>BENCH_SERVER_CALLERS (default "1,4"): how many concurrent clients each run of the server scenario uses;
    /// BENCH_SERVER_STORES (default "sqlite"; "sqlite,postgres" adds the same runs on BENCH_POSTGRES).</summary>
    private static async Task ServerAsync(ResultSink sink, int commands)
    {
        var callers = Environment.GetEnvironmentVariable("BENCH_SERVER_CALLERS") is { Length: > 0 } text ? text : "1,4";
        var stores = Environment.GetEnvironmentVariable("BENCH_SERVER_STORES") is { Length: > 0 } names ? names : "sqlite";
        foreach (var store in stores.Split(','))
        {
            var postgresUrl = store switch
            {
                "sqlite" => null,
                "postgres" => Environment.GetEnvironmentVariable("BENCH_POSTGRES") is { Length: > 0 } url
                    ? url
                    : throw new InvalidOperationException("BENCH_SERVER_STORES names postgres but BENCH_POSTGRES holds no URL"),
                _ => throw new InvalidOperationException($"BENCH_SERVER_STORES: unknown store '{store}' (sqlite, postgres)"),
            };
            foreach (var count in callers.Split(','))
            {
                await ServerBench.RunAsync(sink, commands, int.Parse(count, NumberStyles.None, CultureInfo.InvariantCulture), postgresUrl);
            }
        }
    }

    private static int Scale(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
}

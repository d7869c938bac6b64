using System.CommandLine;
using System.Globalization;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Host.Protocol.Cache;
using OfflineSidecar.Host.Settings;

namespace OfflineSidecar.Host.Cli.Commands;

internal static class PullCommand
{
    public static Command Create()
    {
        var options = new StoreCommandOptions();
        var server = new Option<string>("--server") { Description = "Sync server URL (https, or http on loopback)", Required = true };
        var token = new Option<string?>("--token") { Description = "Bearer token for the server (kept in memory only)" };
        var timeout = new Option<int>("--timeout")
        {
            Description = "Seconds between tries while the server is not reachable",
            DefaultValueFactory = _ => 15,
        };
        var command = new Command("pull", "Pull the server's changes into the op cache once (resumes where the last pull stopped)")
        {
            server, token, timeout,
        };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliCommandRunner.RunAsync(async () =>
        {
            StoreCommandSettings settings = options.Read(parse);
            Uri url = ServerUrlParser.Parse(parse.GetValue(server), "--server") ?? throw new UsageException("--server: required");
            if (parse.GetValue(timeout) <= 0)
            {
                throw new UsageException("--timeout: must be positive");
            }

            await using CliStore store = await CliStore.OpenAsync(settings, url, parse.GetValue(token));
            var pull = new OneShotPull(store.Workspace, store.ServerWorkspaceId, store.Cache, url, parse.GetValue(token), TimeSpan.FromSeconds(parse.GetValue(timeout)), Console.Error);
            PullResult result = await pull.RunAsync(cancellationToken);
            CacheTotals totals = await store.Cache.GetTotalsAsync(cancellationToken);
            PullState state = await store.Cache.GetPullStateAsync(cancellationToken);
            var report = new PullReport(result.Pulled, result.Cursor, result.Complete, state.LastPulledAt, new CacheStatusDto(totals.Entities, totals.Bytes, new Core.Sync.SyncOptions().CacheMaxBytes));
            if (settings.Json)
            {
                CliOutput.WriteJson(Console.Out, report, CliJsonContext.Default.PullReport);
            }
            else
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"pulled {result.Pulled} changes{(result.Complete ? ", up to date" : ", stopped before the end (run pull again to resume)")}; cache: {totals.Entities} documents, {totals.Bytes} bytes"));
            }

            return result.Complete ? CliExitCodes.Ok : CliExitCodes.SyncProblems;
        }, Console.Error));
        return command;
    }
}

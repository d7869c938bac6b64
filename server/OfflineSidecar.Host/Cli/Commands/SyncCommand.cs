using System.CommandLine;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Settings;

namespace OfflineSidecar.Host.Cli.Commands;

internal static class SyncCommand
{
    public static Command Create()
    {
        var options = new StoreCommandOptions();
        var server = new Option<string>("--server") { Description = "Sync server URL (https, or http on loopback)", Required = true };
        var token = new Option<string?>("--token") { Description = "Bearer token for the server (kept in memory only)" };
        var startTimeout = new Option<int>("--timeout")
        {
            Description = "Seconds to wait for the server to become reachable before giving up",
            DefaultValueFactory = _ => 15,
        };
        var command = new Command("sync", "Flush the queue once through the sync engine and print each operation's outcome")
        {
            server, token, startTimeout,
        };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliCommandRunner.RunAsync(async () =>
        {
            StoreCommandSettings settings = options.Read(parse);
            Uri url = ServerUrlParser.Parse(parse.GetValue(server), "--server")
                ?? throw new UsageException("--server: required");
            int seconds = parse.GetValue(startTimeout);
            if (seconds <= 0)
            {
                throw new UsageException("--timeout: must be positive");
            }

            await using CliStore store = await CliStore.OpenAsync(settings, url, parse.GetValue(token));
            var flush = new OneShotFlush(store.Workspace, store.ServerWorkspaceId, url, parse.GetValue(token), TimeSpan.FromSeconds(seconds), Console.Error);
            SyncReport report = await flush.RunAsync(cancellationToken);
            SyncReportPrinter.Print(report, settings.Json, Console.Out);
            return report.Completed && report.Operations.All(o => o.Status == Core.Operations.OperationStatus.Succeeded)
                ? CliExitCodes.Ok
                : CliExitCodes.SyncProblems;
        }, Console.Error));
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using OfflineSidecar.Core.Clock;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Host.Mapping;

namespace OfflineSidecar.Host.Cli.Commands;

internal static class StatusCommand
{
    public static Command Create()
    {
        var options = new StoreCommandOptions();
        var command = new Command("status", "Show how many operations are in each state");
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliCommandRunner.RunAsync(async () =>
        {
            StoreCommandSettings settings = options.Read(parse);
            await using CliStore store = await CliStore.OpenAsync(settings);
            QueueCounts counts = await store.Workspace.GetCountsAsync(cancellationToken);
            ServerClockEstimate? clock = await store.Workspace.GetServerClockAsync(cancellationToken);
            long? skew = clock is null ? null : (long)Math.Round(clock.LocalAhead.TotalMilliseconds);
            var report = new StatusReport(settings.WorkspaceId, store.Store.OpenReport.DatabasePath, ProtocolMapper.ToDto(counts), skew);
            if (settings.Json)
            {
                CliOutput.WriteJson(Console.Out, report, CliJsonContext.Default.StatusReport);
                return CliExitCodes.Ok;
            }

            var table = new TableWriter("FIELD", "VALUE");
            table.Add("workspace", report.WorkspaceId);
            table.Add("database", report.DatabasePath);
            table.Add("pending", Number(counts.Pending));
            table.Add("syncing", Number(counts.Syncing));
            table.Add("failed", Number(counts.Failed));
            table.Add("conflict", Number(counts.Conflict));
            table.Add("succeeded", Number(counts.Succeeded));
            table.Add("clock skew", skew is { } ms ? $"{Number(ms)} ms ({(ms >= 0 ? "this machine ahead of" : "this machine behind")} the server)" : "never estimated");
            table.WriteTo(Console.Out);
            return CliExitCodes.Ok;
        }, Console.Error));
        return command;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}

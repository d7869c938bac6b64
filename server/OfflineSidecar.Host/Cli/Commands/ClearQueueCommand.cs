using System.CommandLine;
using System.Globalization;
using OfflineSidecar.Host.Protocol.Queue;

namespace OfflineSidecar.Host.Cli.Commands;

internal static class ClearQueueCommand
{
    public static Command Create()
    {
        var options = new StoreCommandOptions();
        var status = new Option<string[]>("--status")
        {
            Description = "Only these statuses (default: every status but syncing)",
        };
        var command = new Command("clear-queue", "Delete operations (never those being synced)") { status };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliCommandRunner.RunAsync(async () =>
        {
            StoreCommandSettings settings = options.Read(parse);
            var statuses = StatusFilter.Parse(parse.GetValue(status));
            await using CliStore store = await CliStore.OpenAsync(settings);
            int count = await store.Workspace.ClearAsync(statuses, cancellationToken);
            if (settings.Json)
            {
                CliOutput.WriteJson(Console.Out, new CountResult(count), CliJsonContext.Default.CountResult);
            }
            else
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Removed {count} operation(s)."));
            }

            return CliExitCodes.Ok;
        }, Console.Error));
        return command;
    }
}

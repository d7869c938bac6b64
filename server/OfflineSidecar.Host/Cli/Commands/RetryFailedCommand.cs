using System.CommandLine;
using System.Globalization;
using OfflineSidecar.Host.Protocol.Queue;

namespace OfflineSidecar.Host.Cli.Commands;

internal static class RetryFailedCommand
{
    public static Command Create()
    {
        var options = new StoreCommandOptions();
        var command = new Command("retry-failed", "Move every failed operation back to pending with its attempts reset");
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliCommandRunner.RunAsync(async () =>
        {
            StoreCommandSettings settings = options.Read(parse);
            await using CliStore store = await CliStore.OpenAsync(settings);
            int count = await store.Workspace.RetryAsync(null, allFailed: true, cancellationToken);
            if (settings.Json)
            {
                CliOutput.WriteJson(Console.Out, new CountResult(count), CliJsonContext.Default.CountResult);
            }
            else
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Retrying {count} failed operation(s)."));
            }

            return CliExitCodes.Ok;
        }, Console.Error));
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using OfflineSidecar.Host.Protocol.Queue;

namespace OfflineSidecar.Host.Cli.Commands;

internal static class ExportCommand
{
    public static Command Create()
    {
        var options = new StoreCommandOptions();
        var file = new Argument<string>("file") { Description = "Where to write the export (JSON)" };
        var command = new Command("export", "Write pending, failed and conflict operations, with payloads and idempotency keys, to a file") { file };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliCommandRunner.RunAsync(async () =>
        {
            StoreCommandSettings settings = options.Read(parse);
            string path = Path.GetFullPath(parse.GetValue(file)!);
            await using CliStore store = await CliStore.OpenAsync(settings);
            int count = await store.Workspace.ExportAsync(path, cancellationToken);
            if (settings.Json)
            {
                CliOutput.WriteJson(Console.Out, new CountResult(count), CliJsonContext.Default.CountResult);
            }
            else
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Exported {count} operation(s) to {path}."));
            }

            return CliExitCodes.Ok;
        }, Console.Error));
        return command;
    }
}

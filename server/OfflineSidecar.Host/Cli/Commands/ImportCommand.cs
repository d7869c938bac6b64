using System.CommandLine;
using System.Globalization;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Host.Protocol.Queue;

namespace OfflineSidecar.Host.Cli.Commands;

internal static class ImportCommand
{
    public static Command Create()
    {
        var options = new StoreCommandOptions();
        var file = new Argument<string>("file") { Description = "An export written by 'export' or offlineSync/export" };
        var command = new Command("import", "Add the operations of an export; ids already present are skipped") { file };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliCommandRunner.RunAsync(async () =>
        {
            StoreCommandSettings settings = options.Read(parse);
            string path = Path.GetFullPath(parse.GetValue(file)!);
            await using CliStore store = await CliStore.OpenAsync(settings);
            ImportResult result = await store.Workspace.ImportAsync(path, cancellationToken);
            if (settings.Json)
            {
                CliOutput.WriteJson(Console.Out, new ImportResultDto(result.Imported, result.Skipped), CliJsonContext.Default.ImportResultDto);
            }
            else
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Imported {result.Imported} operation(s), skipped {result.Skipped} already present."));
            }

            return CliExitCodes.Ok;
        }, Console.Error));
        return command;
    }
}

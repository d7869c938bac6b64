using System.CommandLine;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Storage.Salvage;
using OfflineSidecar.Host.Serve;

namespace OfflineSidecar.Host.Cli.Commands;

/// <summary>
/// <c>salvage FILE</c>: puts the unsynced operations of another store file (one moved aside as damaged, or an old copy)
/// back in this data directory's queue with their original idempotency keys; running it twice adds nothing.
/// </summary>
internal static class SalvageCommand
{
    public static Command Create()
    {
        var options = new StoreCommandOptions();
        var file = new Argument<string>("file") { Description = "A store file, e.g. offline-sidecar.db.corrupt-<time> beside the store" };
        var command = new Command("salvage", "Put the unsynced operations of a damaged or old store file back in the queue") { file };
        command.Options.Add(options.DataDir);
        command.Options.Add(options.Json);
        command.SetAction((parse, cancellationToken) => CliCommandRunner.RunAsync(async () =>
        {
            string dataDir = Path.GetFullPath(parse.GetValue(options.DataDir)!);
            string path = Path.GetFullPath(parse.GetValue(file)!);
            Directory.CreateDirectory(dataDir);
            // Every partition's operations go back to their own partition: no --workspace.
            await using SqliteOperationStore store = SqliteOperationStore.Open(
                new StoreOptions { DatabasePath = Path.Combine(dataDir, SidecarSession.DatabaseFileName) }, TimeProvider.System);
            SalvageReport report = await Task.Run(() => store.Salvage(path), cancellationToken);
            if (parse.GetValue(options.Json))
            {
                CliOutput.WriteJson(Console.Out, report, CliJsonContext.Default.SalvageReport);
            }
            else
            {
                Console.Out.WriteLine($"{path}: {report.Describe()}.");
            }

            return CliExitCodes.Ok;
        }, Console.Error));
        return command;
    }
}

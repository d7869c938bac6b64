using System.CommandLine;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Storage.Diagnosis;
using OfflineSidecar.Host.Serve;

namespace OfflineSidecar.Host.Cli.Commands;

/// <summary>
/// <c>doctor</c>: examines the store without opening it for use (no migration, no moving a damaged file aside) and
/// says what it found; the exit code tells scripts whether it needs attention. <c>--repair</c> then fixes what it
/// found (a damaged file is moved aside and its unfinished operations salvaged) and examines the store again.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var options = new StoreCommandOptions();
        var full = new Option<bool>("--full") { Description = "integrity_check (every page and index) instead of quick_check" };
        var repair = new Option<bool>("--repair")
        {
            Description = "Fix what the check found: move a damaged file aside and salvage its unsynced operations into a new one, "
                + "recount drifted counts, make the files owner-only",
        };
        var command = new Command("doctor", "Check the store: integrity, schema version, counts, WAL, file permissions");
        command.Options.Add(options.DataDir);
        command.Options.Add(options.Json);
        command.Options.Add(full);
        command.Options.Add(repair);
        command.SetAction((parse, cancellationToken) => CliCommandRunner.RunAsync(async () =>
        {
            var dataDir = Path.GetFullPath(parse.GetValue(options.DataDir)!);
            var path = Path.Combine(dataDir, SidecarSession.DatabaseFileName);
            var diagnosis = await Task.Run(() => StoreDoctor.Examine(path, parse.GetValue(full)), cancellationToken);
            StoreRepair.Outcome? repaired = null;
            if (parse.GetValue(repair) && diagnosis.Exists && !diagnosis.Healthy)
            {
                repaired = await StoreRepair.RepairAsync(diagnosis, new StoreOptions { DatabasePath = path }, TimeProvider.System);
                diagnosis = await Task.Run(() => StoreDoctor.Examine(path, parse.GetValue(full)), cancellationToken);
            }

            var report = new DoctorReport(diagnosis.DatabasePath, diagnosis.Exists, diagnosis.Healthy, diagnosis.Checks, repaired?.Actions, repaired?.Salvage);
            if (parse.GetValue(options.Json))
            {
                CliOutput.WriteJson(Console.Out, report, CliJsonContext.Default.DoctorReport);
            }
            else if (!diagnosis.Exists)
            {
                await Console.Error.WriteLineAsync($"offline-sidecar: no store at {diagnosis.DatabasePath}");
            }
            else
            {
                foreach (var action in repaired?.Actions ?? [])
                {
                    Console.Out.WriteLine($"repaired: {action}");
                }

                var table = new TableWriter("CHECK", "RESULT", "DETAIL");
                foreach (var check in diagnosis.Checks)
                {
                    table.Add(check.Name, check.Ok ? "ok" : "PROBLEM", check.Detail);
                }

                table.WriteTo(Console.Out);
                Console.Out.WriteLine(diagnosis.Healthy ? $"{diagnosis.DatabasePath}: healthy" : $"{diagnosis.DatabasePath}: needs attention");
            }

            return !diagnosis.Exists ? CliExitCodes.Failure
                : diagnosis.Healthy ? CliExitCodes.Ok
                : CliExitCodes.StoreNeedsAttention;
        }, Console.Error));
        return command;
    }
}

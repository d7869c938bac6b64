using System.CommandLine;
using OfflineSidecar.Core.Storage.Diagnosis;
using OfflineSidecar.Host.Serve;

namespace OfflineSidecar.Host.Cli.Commands;

/// <summary>
/// <c>doctor</c>: examines the store without opening it for use (no migration, no moving a damaged file aside) and
/// says what it found; the exit code tells scripts whether it needs attention.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var options = new StoreCommandOptions();
        var full = new Option<bool>("--full") { Description = "integrity_check (every page and index) instead of quick_check" };
        var command = new Command("doctor", "Check the store: integrity, schema version, counts, WAL, file permissions");
        command.Options.Add(options.DataDir);
        command.Options.Add(options.Json);
        command.Options.Add(full);
        command.SetAction((parse, cancellationToken) => CliCommandRunner.RunAsync(async () =>
        {
            var dataDir = Path.GetFullPath(parse.GetValue(options.DataDir)!);
            var diagnosis = await Task.Run(
                () => StoreDoctor.Examine(Path.Combine(dataDir, SidecarSession.DatabaseFileName), parse.GetValue(full)), cancellationToken);
            var report = new DoctorReport(diagnosis.DatabasePath, diagnosis.Exists, diagnosis.Healthy, diagnosis.Checks);
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

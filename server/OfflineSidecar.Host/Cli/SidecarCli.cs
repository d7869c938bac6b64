using System.CommandLine;
using OfflineSidecar.Host.Cli.Commands;

namespace OfflineSidecar.Host.Cli;

/// <summary>
/// One binary, two roles: <c>serve --stdio</c> for the editor, and store commands for people and scripts that
/// work on the same database file, even while a sidecar runs. Exit codes: <see cref="CliExitCodes"/>.
/// </summary>
internal static class SidecarCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("offline-sidecar: a durable offline operation queue that syncs when the server is back");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(RetryFailedCommand.Create());
        root.Subcommands.Add(ClearQueueCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(SyncCommand.Create());
        root.Subcommands.Add(PullCommand.Create());
        root.Subcommands.Add(CacheCommand.Create());
        root.Subcommands.Add(AccountsCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(SalvageCommand.Create());
        root.Subcommands.Add(ProtocolCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        ParseResult parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"offline-sidecar: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'offline-sidecar --help' for usage.");
            return CliExitCodes.Usage;
        }

        return await parse.InvokeAsync();
    }
}

using System.CommandLine;
using OfflineSidecar.Host.Serve;

namespace OfflineSidecar.Host.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        var stdio = new Option<bool>("--stdio") { Description = "Speak JSON-RPC (LSP base protocol) on stdin/stdout", Required = true };
        var dataDir = new Option<string?>("--data-dir") { Description = "Data directory (wins over initializationOptions.dataDir)" };
        var workspace = new Option<string?>("--workspace") { Description = "Workspace id (wins over initializationOptions.workspaceId)" };
        var command = new Command("serve", "Run the sidecar for an editor") { stdio, dataDir, workspace };
        command.SetAction((parse, cancellationToken) => StdioSidecar.RunAsync(
            new ServeOptions
            {
                DataDir = parse.GetValue(dataDir) is { } dir ? Path.GetFullPath(dir) : null,
                WorkspaceId = parse.GetValue(workspace),
            },
            cancellationToken));
        return command;
    }
}

using System.CommandLine;

namespace OfflineSidecar.Host.Cli;

/// <summary>The options every store command shares, created per command so each can be read from its parse result.</summary>
internal sealed class StoreCommandOptions
{
    public Option<string> DataDir { get; } = new("--data-dir")
    {
        Description = $"Data directory holding offline-sidecar.db (default: ${DataDirectory.EnvironmentVariable} or ~/.local/share/offline-sidecar)",
        DefaultValueFactory = _ => DataDirectory.Default(),
    };

    public Option<string> Workspace { get; } = new("--workspace")
    {
        Description = "Workspace id, or a partition name as `accounts` lists them (a workspace means its partition used last)",
        DefaultValueFactory = _ => "default",
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON instead of a table" };

    public void AddTo(Command command)
    {
        command.Options.Add(DataDir);
        command.Options.Add(Workspace);
        command.Options.Add(Json);
    }

    public StoreCommandSettings Read(ParseResult parse) =>
        new(Path.GetFullPath(parse.GetValue(DataDir)!), parse.GetValue(Workspace)!, parse.GetValue(Json));
}

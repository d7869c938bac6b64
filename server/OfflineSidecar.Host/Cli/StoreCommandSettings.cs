namespace OfflineSidecar.Host.Cli;

internal sealed record StoreCommandSettings(string DataDir, string WorkspaceId, bool Json);

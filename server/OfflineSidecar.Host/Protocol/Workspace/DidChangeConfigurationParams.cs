namespace OfflineSidecar.Host.Protocol.Workspace;

public sealed record DidChangeConfigurationParams
{
    public ConfigurationSettings? Settings { get; init; }
}

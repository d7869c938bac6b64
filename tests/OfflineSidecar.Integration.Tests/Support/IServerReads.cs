namespace OfflineSidecar.Integration.Tests.Support;

/// <summary>What a test reads back from the sync server, whether one process or replicas behind a balancer.</summary>
internal interface IServerReads
{
    Task<List<ServerChange>> ReadAllChangesAsync(string workspaceId);

    Task<ServerEntity?> ReadEntityAsync(string workspaceId, string entityId);
}

namespace OfflineSidecar.Core.Transport;

/// <summary>The server's copy of an entity, sent with a conflict. PayloadJson is raw JSON text.</summary>
public sealed record ServerEntityState(long Version, string? PayloadJson);

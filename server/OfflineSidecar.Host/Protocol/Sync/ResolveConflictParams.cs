using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Host.Protocol.Serialization;

namespace OfflineSidecar.Host.Protocol.Sync;

public sealed record ResolveConflictParams
{
    public required string Id { get; init; }

    public required ConflictResolution Resolution { get; init; }

    /// <summary>Required for <c>merge</c>.</summary>
    public RawJson? Payload { get; init; }
}

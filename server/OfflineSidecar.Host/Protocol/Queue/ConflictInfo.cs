using OfflineSidecar.Host.Protocol.Serialization;

namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record ConflictInfo(long ServerVersion, RawJson? ServerPayload, DateTimeOffset DetectedAt);

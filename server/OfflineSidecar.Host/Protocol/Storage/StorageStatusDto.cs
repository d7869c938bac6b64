using OfflineSidecar.Core.Storage.Space;

namespace OfflineSidecar.Host.Protocol.Storage;

/// <summary>The free space of the data directory's file system, and the thresholds in force (bytes).</summary>
public sealed record StorageStatusDto(long FreeBytes, SpaceLevel Level, long WarningBytes, long CriticalBytes);

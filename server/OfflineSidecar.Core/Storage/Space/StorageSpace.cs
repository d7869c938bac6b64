namespace OfflineSidecar.Core.Storage.Space;

/// <summary>One reading of the data directory's file system, judged against the thresholds in force.</summary>
public sealed record StorageSpace(long FreeBytes, long TotalBytes, SpaceLevel Level, long WarningBytes, long CriticalBytes);

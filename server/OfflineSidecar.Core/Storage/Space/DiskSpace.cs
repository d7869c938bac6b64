namespace OfflineSidecar.Core.Storage.Space;

/// <summary>What a file system reported: bytes this process may still write, and its size.</summary>
public readonly record struct DiskSpace(long FreeBytes, long TotalBytes);

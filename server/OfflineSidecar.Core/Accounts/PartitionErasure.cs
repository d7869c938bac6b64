namespace OfflineSidecar.Core.Accounts;

/// <summary>What erasing a partition removed, and the database file's size before and after.</summary>
public sealed record PartitionErasure(long Operations, long Documents, long FileBytesBefore, long FileBytesAfter);

namespace OfflineSidecar.Core.Accounts;

/// <summary>A partition with what it holds, for listings (CLI `accounts`).</summary>
public sealed record PartitionSummary(StorePartition Partition, long UnfinishedOperations, long Operations, long Documents, long DocumentBytes);

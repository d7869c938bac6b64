namespace OfflineSidecar.Core.Cache;

/// <summary>A document with unfinished work, as its decoration shows it.</summary>
public sealed record UnsyncedDocument(string EntityId, CacheState State, string OperationId);

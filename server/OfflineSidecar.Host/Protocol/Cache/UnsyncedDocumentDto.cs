using OfflineSidecar.Core.Cache;

namespace OfflineSidecar.Host.Protocol.Cache;

public sealed record UnsyncedDocumentDto(string EntityId, CacheState State, string OperationId);

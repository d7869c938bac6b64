namespace OfflineSidecar.Host.Protocol.Cache;

public sealed record CachePinParams(IReadOnlyList<string> EntityIds, bool Pinned);

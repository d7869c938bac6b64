namespace OfflineSidecar.Host.Protocol.Cache;

/// <summary>The editor opened (<c>open: true</c>) or closed these documents.</summary>
public sealed record CacheOpenedParams(IReadOnlyList<string> EntityIds, bool Open);

using OfflineSidecar.Host.Protocol.Cache;

namespace OfflineSidecar.Host.Cli;

/// <summary><c>pull --json</c>: what the pull did and the cache afterwards.</summary>
internal sealed record PullReport(long Pulled, string? Cursor, bool Complete, DateTimeOffset? LastPulledAt, CacheStatusDto Cache);

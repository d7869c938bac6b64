namespace OfflineSidecar.Host.Protocol.Cache;

public sealed record PullResultDto(long Pulled, string? Cursor, bool Complete);

namespace OfflineSidecar.Core.Cache;

/// <summary>What one pull did: changes applied, the cursor it left, and whether it read the feed to its end.</summary>
public sealed record PullResult(long Pulled, string? Cursor, bool Complete);

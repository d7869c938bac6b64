namespace OfflineSidecar.Core.Cache;

/// <summary>Documents whose content or state may have changed; null = any (too many to list, or another process).</summary>
public sealed class CacheChangedEventArgs(IReadOnlyCollection<string>? entityIds) : EventArgs
{
    public IReadOnlyCollection<string>? EntityIds { get; } = entityIds;
}

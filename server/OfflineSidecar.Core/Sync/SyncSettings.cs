namespace OfflineSidecar.Core.Sync;

/// <summary>
/// The options the engine runs with and the policy derived from them. Replaced from any thread; readers take one
/// snapshot per step or request, so none sees half an update.
/// </summary>
internal sealed class SyncSettings(SyncOptions options, IRandomSource random)
{
    private volatile SyncOptions options = options;
    private volatile SyncPolicy policy = new(options, random);

    public SyncOptions Options => options;

    public SyncPolicy Policy => policy;

    /// <summary>Only the work-offline switch changed: the policy stays.</summary>
    public void SetWorkOffline(bool enabled) => options = options with { WorkOffline = enabled };

    public void Replace(SyncOptions next)
    {
        options = next;
        policy = new SyncPolicy(next, random);
    }
}

using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync.Flush;

/// <summary>
/// What a <see cref="FlushRun"/> asks of the loop that runs it, at the moment it matters: whether it may still send,
/// and what the server's answers mean for the engine. A run decides nothing about connectivity or backoff itself.
/// </summary>
internal interface IFlushOwner
{
    /// <summary>The lease, connectivity and hold still allow sending (checked before every claim and launch).</summary>
    bool MaySend();

    /// <summary>The server answered a batch at <paramref name="at"/>; called before the answer is recorded.</summary>
    void ServerAnswered(DateTimeOffset at);

    /// <summary>
    /// The first whole-request failure of the run, sent with credentials generation <paramref name="credentials"/>:
    /// called when it is recorded, before the run settles, so the state shows it by the time the run ends.
    /// </summary>
    void Stopped(SendBatchResult stoppedBy, long credentials);
}

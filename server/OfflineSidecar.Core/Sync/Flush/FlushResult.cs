using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync.Flush;

/// <summary>Why a flush run ended.</summary>
internal enum FlushEnd
{
    /// <summary>Nothing was eligible: the run began nothing (no events, no progress).</summary>
    NothingToSend,

    /// <summary>Everything eligible was sent and answered.</summary>
    Drained,

    /// <summary>A whole-request failure (<see cref="FlushResult.StoppedBy"/>) ended it.</summary>
    StoppedByServer,

    /// <summary>The lease, connectivity or a hold stopped it before the queue was drained.</summary>
    NoLongerAllowed,
}

/// <summary>
/// What one flush run did: why it ended, its totals, and the request that stopped it with the credentials generation
/// that request was sent with (a refusal of older credentials says nothing about newer ones).
/// </summary>
internal sealed record FlushResult(FlushEnd End, FlushTotals Totals, SendBatchResult? StoppedBy, long Credentials)
{
    public bool Ran => End != FlushEnd.NothingToSend;
}

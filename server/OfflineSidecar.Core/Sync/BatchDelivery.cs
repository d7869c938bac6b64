using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync;

/// <summary>The outcomes of one claimed batch, plus the whole-request failure that should end the flush, if any.</summary>
internal sealed record BatchDelivery(IReadOnlyList<OperationOutcome> Outcomes, SendBatchResult? StoppedBy);

using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync.Flush;

/// <summary>
/// The outcomes of one claimed batch, plus the whole-request failure that should end the flush, if any, and when the
/// server last answered usefully (recorded by the flush loop, not the sending task, so engine state has one writer).
/// <see cref="Credentials"/> is the credentials generation the batch was sent with: a refusal of older credentials
/// says nothing about the ones set since.
/// </summary>
internal sealed record BatchDelivery(IReadOnlyList<OperationOutcome> Outcomes, SendBatchResult? StoppedBy, DateTimeOffset? AnsweredAt, long Credentials = 0);

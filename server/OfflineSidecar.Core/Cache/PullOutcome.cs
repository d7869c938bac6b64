using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Cache;

/// <summary>The end of one pull: what it did, why it stopped, and the server's refusal or the problem when there was one.</summary>
public sealed record PullOutcome(PullResult Result, PullStop Stop, SendBatchResult? Failure = null, string? Problem = null);

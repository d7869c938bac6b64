using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Clock;
using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Transport;

/// <summary>
/// The sync server as the worker sees it. Never throws for server or network trouble: every outcome is a
/// <see cref="SendBatchResult"/>, so the worker decides retries in one place.
/// </summary>
public interface ISyncTransport : IDisposable
{
    /// <summary>Raised (on any thread) when the circuit breaker opens or closes.</summary>
    event EventHandler<TransportCircuitState>? CircuitChanged;

    /// <summary>Raised (on any thread) with every reading of the server's clock an answer gave: health's
    /// <c>serverTime</c>, and the <c>Date</c> header of any other answer.</summary>
    event EventHandler<ServerClockSample>? ClockSampled;

    Task<SendBatchResult> SendBatchAsync(string workspaceId, string clientId, string? token, IReadOnlyList<Operation> operations, CancellationToken cancellationToken = default);

    /// <summary>Makes sure the server holds an attachment's bytes (HEAD, then PUT /sync/blobs/{sha256} when missing):
    /// Ok when it does, otherwise the refusal classified as a batch's would be.</summary>
    /// <param name="openContent">Opens the content afresh for each try; null when the local copy is gone (the PUT then
    /// answers BadRequest without a request).</param>
    Task<SendBatchResult> PutBlobAsync(string workspaceId, string? token, OperationAttachment blob, Func<Stream?> openContent, CancellationToken cancellationToken = default);

    /// <summary>One page of the changes feed after <paramref name="since"/> (null: from the beginning). With
    /// <paramref name="count"/>, the server is asked how many changes remain (for progress).</summary>
    Task<ServerRead<ChangesPage>> GetChangesAsync(string workspaceId, string? token, string? since, int limit, bool count, CancellationToken cancellationToken = default);

    /// <summary>One entity as the server holds it now (a document fetched on demand).</summary>
    Task<ServerRead<ChangeRecord>> GetEntityAsync(string workspaceId, string? token, string entityId, CancellationToken cancellationToken = default);

    /// <summary>The account <paramref name="token"/> acts for (GET /sync/whoami); NotFound from a server without accounts.</summary>
    Task<ServerRead<string>> GetAccountAsync(string? token, CancellationToken cancellationToken = default);

    /// <summary>True when the health endpoint answered 2xx; a success also closes an open circuit and reads the server's clock.</summary>
    Task<bool> ProbeAsync(CancellationToken cancellationToken = default);
}

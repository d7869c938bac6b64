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

    Task<SendBatchResult> SendBatchAsync(string workspaceId, string clientId, string? token, IReadOnlyList<Operation> operations, CancellationToken cancellationToken = default);

    /// <summary>True when the health endpoint answered 2xx; a success also closes an open circuit.</summary>
    Task<bool> ProbeAsync(CancellationToken cancellationToken = default);
}

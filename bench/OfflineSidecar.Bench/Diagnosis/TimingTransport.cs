using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Clock;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Bench.Diagnosis;

/// <summary>The real HTTP transport with a stopwatch on each POST /sync/commands (serialize, send, server commit, parse).</summary>
internal sealed class TimingTransport(ISyncTransport inner, StageClock send) : ISyncTransport
{
    public event EventHandler<TransportCircuitState>? CircuitChanged
    {
        add => inner.CircuitChanged += value;
        remove => inner.CircuitChanged -= value;
    }

    public event EventHandler<ServerClockSample>? ClockSampled
    {
        add => inner.ClockSampled += value;
        remove => inner.ClockSampled -= value;
    }

    public Task<SendBatchResult> SendBatchAsync(string workspaceId, string clientId, string? token, IReadOnlyList<Operation> operations, CancellationToken cancellationToken = default) =>
        send.TimeAsync(() => inner.SendBatchAsync(workspaceId, clientId, token, operations, cancellationToken));

    public Task<bool> ProbeAsync(CancellationToken cancellationToken = default) => inner.ProbeAsync(cancellationToken);

    public Task<ServerRead<ChangesPage>> GetChangesAsync(string workspaceId, string? token, string? since, int limit, bool count, CancellationToken cancellationToken = default) =>
        inner.GetChangesAsync(workspaceId, token, since, limit, count, cancellationToken);

    public Task<ServerRead<ChangeRecord>> GetEntityAsync(string workspaceId, string? token, string entityId, CancellationToken cancellationToken = default) =>
        inner.GetEntityAsync(workspaceId, token, entityId, cancellationToken);

    public Task<ServerRead<string>> GetAccountAsync(string? token, CancellationToken cancellationToken = default) =>
        inner.GetAccountAsync(token, cancellationToken);

    public Task<SendBatchResult> PutBlobAsync(string workspaceId, string? token, OperationAttachment blob, Func<Stream?> openContent, CancellationToken cancellationToken = default) =>
        inner.PutBlobAsync(workspaceId, token, blob, openContent, cancellationToken);

    public void Dispose() => inner.Dispose();
}

using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Clock;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Integration.Tests.Pipelining;

/// <summary>
/// A server stand-in that answers after a short, varying delay and records, per entity, the order in which
/// operations arrived and whether one of its operations was ever on the wire twice at the same time.
/// </summary>
internal sealed class RecordingTransport : ISyncTransport
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<long>> arrivals = new(StringComparer.Ordinal);
    private readonly HashSet<string> onTheWire = new(StringComparer.Ordinal);
    private int inFlight;
    private int sends;

    public event EventHandler<TransportCircuitState>? CircuitChanged
    {
        add { }
        remove { }
    }

    public event EventHandler<ServerClockSample>? ClockSampled
    {
        add { }
        remove { }
    }

    /// <summary>When set, sends after the first <see cref="GateAfter"/> wait for it (or for cancellation) before answering.</summary>
    public TaskCompletionSource? Gate { get; set; }

    public int GateAfter { get; set; }

    /// <summary>When set and it answers non-null for a send number, that is the whole request's result.</summary>
    public Func<int, SendBatchResult?>? Override { get; set; }

    /// <summary>Called when a send starts (after recording it), with the number of sends so far.</summary>
    public Action<int>? OnSend { get; set; }

    public int MaxInFlight { get; private set; }

    public List<string> Overlaps { get; } = [];

    public int Sends => Volatile.Read(ref sends);

    public IReadOnlyDictionary<string, List<long>> Arrivals
    {
        get
        {
            lock (gate)
            {
                return arrivals.ToDictionary(p => p.Key, p => p.Value.ToList());
            }
        }
    }

    public async Task<SendBatchResult> SendBatchAsync(string workspaceId, string clientId, string? token, IReadOnlyList<Operation> operations, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            MaxInFlight = Math.Max(MaxInFlight, ++inFlight);
            foreach (var operation in operations)
            {
                var entity = operation.EntityId!;
                if (!onTheWire.Add(entity))
                {
                    Overlaps.Add($"{entity} seq {operation.Sequence}");
                }

                if (!arrivals.TryGetValue(entity, out var list))
                {
                    arrivals[entity] = list = [];
                }

                list.Add(operation.Sequence);
            }
        }

        var count = Interlocked.Increment(ref sends);
        OnSend?.Invoke(count);
        try
        {
            if (Gate is { } gateTask && count > GateAfter)
            {
                await gateTask.Task.WaitAsync(cancellationToken);
            }

            // Later batches sometimes answer first: order must not depend on answers arriving in send order.
            await Task.Delay(count % 3 == 0 ? 5 : 1, cancellationToken);
        }
        finally
        {
            lock (gate)
            {
                inFlight--;
                foreach (var operation in operations)
                {
                    onTheWire.Remove(operation.EntityId!);
                }
            }
        }

        return Override?.Invoke(count) ?? SendBatchResult.Ok([.. operations.Select(o => new CommandResult(o.Id, CommandStatus.Applied, 1))]);
    }

    public Task<bool> ProbeAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    /// <summary>A server without accounts.</summary>
    public Task<ServerRead<string>> GetAccountAsync(string? token, CancellationToken cancellationToken = default) =>
        Task.FromResult(ServerRead<string>.NotFound("no accounts in this stand-in"));

    /// <summary>These tests enqueue no attachments.</summary>
    public Task<SendBatchResult> PutBlobAsync(string workspaceId, string? token, OperationAttachment blob, Func<Stream?> openContent, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("no blobs in this stand-in");

    /// <summary>No feed: these tests run the engine without an op cache, so nothing pulls.</summary>
    public Task<ServerRead<ChangesPage>> GetChangesAsync(string workspaceId, string? token, string? since, int limit, bool count, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("no changes feed in this stand-in");

    public Task<ServerRead<ChangeRecord>> GetEntityAsync(string workspaceId, string? token, string entityId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("no entity reads in this stand-in");

    public void Dispose()
    {
    }
}

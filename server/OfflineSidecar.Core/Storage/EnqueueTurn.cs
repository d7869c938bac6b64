namespace OfflineSidecar.Core.Storage;

/// <summary>One enqueue's place in <see cref="EnqueueOrder"/>: what it waits for, and what the calls after it wait for.</summary>
internal sealed class EnqueueTurn
{
    private readonly EnqueueOrder order;
    private readonly TaskCompletionSource handedOff = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal EnqueueTurn(EnqueueOrder order, string? entityId, string? dedupKey, Task earlierHandedOff)
    {
        this.order = order;
        EntityId = entityId;
        DedupKey = dedupKey;
        EarlierHandedOff = earlierHandedOff;
    }

    /// <summary>Completes (never faults) once every earlier call of the same entity or dedup key has handed its job to
    /// the writer or failed.</summary>
    public Task EarlierHandedOff { get; }

    internal string? EntityId { get; }

    internal string? DedupKey { get; }

    internal Task HandOff => handedOff.Task;

    /// <summary>After the job went to the writer, or the call failed before: the calls after it may go. Idempotent.</summary>
    public void Done()
    {
        if (handedOff.TrySetResult())
        {
            order.Leave(this);
        }
    }
}

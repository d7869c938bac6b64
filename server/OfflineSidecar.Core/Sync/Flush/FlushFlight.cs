using System.Diagnostics.CodeAnalysis;
using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Sync.Flush;

/// <summary>
/// The batches of one flush that are on the wire, oldest first, plus the claim under way. Touched by the flush loop
/// only; the sends themselves run concurrently and only hand back their <see cref="BatchDelivery"/>.
/// </summary>
internal sealed class FlushFlight(int depth)
{
    private readonly Queue<(Task<BatchDelivery> Sending, IReadOnlyList<Operation> Batch)> sending = new(depth);

    // One batch tests the water first: a server that is down, throttling or refusing our credentials then costs one
    // batch its attempt, as with serial sending, instead of every batch of a full pipeline.
    private int open = 1;

    public int Count => sending.Count;

    /// <summary>How many batches the pipeline may hold once fully open.</summary>
    public int Depth => depth;

    public bool HasRoom => sending.Count < open;

    /// <summary>How many more batches may go on the wire now.</summary>
    public int Room => Math.Max(0, open - sending.Count);

    /// <summary>The server answered a batch normally: the whole pipeline may be used.</summary>
    public void Open() => open = depth;

    /// <summary>A claim whose batch is not launched yet: if the flush ends first, its operations go back to pending.</summary>
    public Task<IReadOnlyList<Operation>>? Claim { get; set; }

    /// <summary>The last claim came back short or empty: claiming again finds nothing until an answer promotes new heads.</summary>
    public bool Exhausted { get; set; }

    /// <summary>A whole-request failure ended the flush: answers still in flight are recorded, nothing new is claimed.</summary>
    public bool Stopped { get; set; }

    public void Add(IReadOnlyList<Operation> batch, Task<BatchDelivery> send) => sending.Enqueue((send, batch));

    /// <summary>Takes the oldest batch only when its send has already come back normally (no wait, no exception).</summary>
    public bool TryTakeOldestAnswered([MaybeNullWhen(false)] out BatchDelivery delivery)
    {
        if (sending.TryPeek(out var item) && item.Sending.IsCompletedSuccessfully)
        {
            sending.Dequeue();
            delivery = item.Sending.Result;
            return true;
        }

        delivery = null;
        return false;
    }

    public bool TryTakeOldest([MaybeNullWhen(false)] out Task<BatchDelivery> send, [MaybeNullWhen(false)] out IReadOnlyList<Operation> batch)
    {
        var taken = sending.TryDequeue(out var item);
        (send, batch) = item;
        return taken;
    }
}

using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>
/// One editor-side caller: enqueues operations of its own entities one after another (round robin), so each entity's
/// order is the order this caller sent them in, and records each in the ledger before sending it.
/// </summary>
internal sealed class EnqueueCaller(OperationLedger ledger, IReadOnlyList<string> entities)
{
    private int next;
    private int inFlight;

    /// <summary>An enqueue was sent and not yet answered.</summary>
    public bool InFlight => Volatile.Read(ref inFlight) == 1;

    /// <returns>False when the sidecar was killed before it answered (the operation stays unacknowledged).</returns>
    public async Task<bool> EnqueueOneAsync(SidecarProcess sidecar)
    {
        var entry = ledger.Next(entities[next++ % entities.Count]);
        Volatile.Write(ref inFlight, 1);
        try
        {
            await sidecar.RequestAsync("offlineSync/enqueue", new { type = "document.put.v1", entityId = entry.EntityId, payload = entry.Payload });
            entry.Acknowledge();
            return true;
        }
        catch (Exception) when (sidecar.Killed)
        {
            return false;
        }
        finally
        {
            Volatile.Write(ref inFlight, 0);
        }
    }

    /// <summary>Enqueues every <paramref name="pause"/> until cancelled, the sidecar dies, or <paramref name="hold"/> says wait.</summary>
    public async Task RunAsync(SidecarProcess sidecar, TimeSpan pause, Func<bool> hold, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && !sidecar.Killed)
        {
            if (!hold() && !await EnqueueOneAsync(sidecar))
            {
                return;
            }

            try
            {
                await Task.Delay(pause, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary><paramref name="count"/> callers sharing <paramref name="entities"/> entities named by <paramref name="prefix"/>.</summary>
    public static EnqueueCaller[] Create(OperationLedger ledger, string prefix, int entities, int count) =>
        [.. Enumerable.Range(0, count).Select(c => new EnqueueCaller(
            ledger,
            [.. Enumerable.Range(0, entities).Where(e => e % count == c).Select(e => $"{prefix}/e{e:D3}")]))];
}

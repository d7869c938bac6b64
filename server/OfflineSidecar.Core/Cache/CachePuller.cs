using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Cache;

/// <summary>
/// One pull of the changes feed into the cache. Each page is written with the cursor after it in one transaction, so a
/// pull stopped anywhere (killed, cancelled, yielded, failed) resumes from its last committed page. The next page is
/// already being fetched while one is written, so the server's work, the wire and the writer overlap.
/// </summary>
/// <param name="serverWorkspaceId">The workspace's id on the server (the cache's partition may be named otherwise).</param>
public sealed class CachePuller(ICacheStore cache, string serverWorkspaceId)
{
    /// <summary>The most the reference server gives per page (docs/sync-protocol.md).</summary>
    public const int PageSize = 1000;

    /// <summary>The refusal a page write gets when the cursor moved since the pull read it (another sidecar pulled).</summary>
    public const string SupersededMessage = "the pull cursor moved: another sidecar of this workspace pulled meanwhile";

    /// <param name="server">The server pulled from: a cache pulled from another one is refetched whole.</param>
    /// <param name="shouldYield">Asked between pages: true stops the pull there (work that should not wait is queued).</param>
    /// <param name="onPage">Told after every committed page.</param>
    public async Task<PullOutcome> RunAsync(
        ISyncTransport transport,
        string? token,
        string server,
        Func<bool> shouldYield,
        Action<PullProgress> onPage,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(shouldYield);
        ArgumentNullException.ThrowIfNull(onPage);
        var state = await cache.GetPullStateAsync(cancellationToken).ConfigureAwait(false);
        if (state.Server != server)
        {
            state = await cache.StartRefetchAsync(server, cancellationToken).ConfigureAwait(false);
        }

        long pulled = 0;
        long? total = null;
        var pages = 0;
        var refetched = false;
        var fetch = Fetch(transport, token, state.Cursor, count: true, cancellationToken);
        Task<ServerRead<ChangesPage>>? next = null;
        try
        {
            while (true)
            {
                var answer = await fetch.ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    return Stop(PullStop.Cancelled, state, pulled);
                }

                switch (answer.Kind)
                {
                    case ServerReadKind.CursorExpired when !refetched:
                        // Start over from the beginning in a new generation; the queue is not touched.
                        refetched = true;
                        state = await cache.StartRefetchAsync(server: null, cancellationToken).ConfigureAwait(false);
                        fetch = Fetch(transport, token, state.Cursor, count: true, cancellationToken);
                        continue;
                    case ServerReadKind.CursorExpired:
                        return Stop(PullStop.Malformed, state, pulled, problem: "the server refused a pull from the beginning as an expired cursor");
                    case ServerReadKind.Failed:
                        return Stop(PullStop.Failed, state, pulled, answer.Failure, answer.Message);
                    case ServerReadKind.Ok:
                        break;
                    default:
                        return Stop(PullStop.Malformed, state, pulled, problem: answer.Message);
                }

                var page = answer.Value!;
                total ??= page.Remaining;
                var more = page.HasMore && !cancellationToken.IsCancellationRequested && !shouldYield();
                next = more ? Fetch(transport, token, page.Cursor, count: false, cancellationToken) : null;
                try
                {
                    // Not cancellable: a page fetched is worth keeping, and the write is short.
                    await cache.ApplyPageAsync(state.Cursor, state.Generation, page, CancellationToken.None).ConfigureAwait(false);
                }
                catch (QueueException superseded) when (superseded.Message == SupersededMessage)
                {
                    return Stop(PullStop.Superseded, state, pulled, problem: superseded.Message);
                }

                pulled += page.Changes.Count;
                pages++;
                state = state with { Cursor = page.Cursor };
                onPage(new PullProgress(pulled, total, pages));
                if (!page.HasMore)
                {
                    return Stop(PullStop.Complete, state, pulled);
                }

                if (next is null)
                {
                    return Stop(cancellationToken.IsCancellationRequested ? PullStop.Cancelled : PullStop.Yielded, state, pulled);
                }

                fetch = next;
                next = null;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Stop(PullStop.Cancelled, state, pulled);
        }
        finally
        {
            if (next is not null)
            {
                // A page fetched ahead that will not be written: wait for it so nothing runs on after the pull.
                try
                {
                    await next.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }

    private Task<ServerRead<ChangesPage>> Fetch(ISyncTransport transport, string? token, string? since, bool count, CancellationToken cancellationToken) =>
        transport.GetChangesAsync(serverWorkspaceId, token, since, PageSize, count, cancellationToken);

    private static PullOutcome Stop(PullStop stop, PullState state, long pulled, SendBatchResult? failure = null, string? problem = null) =>
        new(new PullResult(pulled, state.Cursor, stop == PullStop.Complete), stop, failure, problem);
}

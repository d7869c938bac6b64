using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// A page of the changes feed into the cache: its rows AND the cursor after it, in one transaction, so a pull stopped
/// anywhere resumes from the last committed page, never from zero and never past a page it did not keep.
/// </summary>
internal static class PullWrites
{
    /// <returns>The ids whose cached row changed, and how many changes were left out (ids no document can have).</returns>
    public static (List<string> Changed, int Skipped) ApplyPage(
        WriteSession session, string workspace, string? expectedCursor, long generation, ChangesPage page, long accessSeq)
    {
        var state = PullStateRow.Read(session, workspace);
        if (FeedCursor.Compare(state.Cursor, expectedCursor) != 0 || state.Generation != generation)
        {
            throw new QueueException(QueueErrorKind.InvalidState, CachePuller.SupersededMessage);
        }

        var now = session.NowMilliseconds;
        var totals = new CacheTotalsDelta();
        var skipped = 0;
        var changed = CacheRowWrites.Write(session, workspace, Latest(page.Changes, ref skipped), generation, accessSeq, now, totals);
        totals.Apply(session, workspace);
        var complete = !page.HasMore;
        var refetchDone = complete && state.Refetching;
        if (refetchDone)
        {
            // Rows this refetch did not see again are gone from the server (their tombstones were compacted away).
            var gone = session.Sql("DELETE FROM cache_entities WHERE workspace = $w AND generation < $g;")
                .With("$w", workspace)
                .With("$g", generation)
                .ExecuteNonQuery();
            if (gone > 0)
            {
                CacheTotalsDelta.Recount(session, workspace);
                session.TouchAllDocuments(workspace);
            }
        }

        if (complete)
        {
            CacheMaintenance.PurgeTombstones(session, workspace);
            MergeBases.ForgetUnused(session, workspace);
        }

        PullStateRow.Write(session, workspace, state with
        {
            Cursor = page.Cursor,
            Refetching = state.Refetching && !refetchDone,
            LastPulledAt = complete ? UnixMilliseconds.To(now) : state.LastPulledAt,
        });
        if (changed.Count > 0)
        {
            session.TouchDocuments(workspace, changed);
        }

        return (changed, skipped);
    }

    /// <summary>
    /// A document fetched on demand (its cached row was an evicted stub): written as a one-change page would be, without
    /// moving the cursor. Returns false when the cache already held that version or a newer one.
    /// </summary>
    public static bool StoreFetched(WriteSession session, string workspace, ChangeRecord entity, long accessSeq)
    {
        var totals = new CacheTotalsDelta();
        var generation = PullStateRow.Read(session, workspace).Generation;
        if (CacheRowWrites.Write(session, workspace, [entity], generation, accessSeq, session.NowMilliseconds, totals).Count == 0)
        {
            return false;
        }

        totals.Apply(session, workspace);
        PullStateRow.Stamp(session, workspace);
        session.TouchDocuments(workspace, [entity.EntityId]);
        return true;
    }

    /// <summary>A full refetch (from <paramref name="server"/>): from the beginning again, in a new generation. The queue is not touched.</summary>
    public static PullState StartRefetch(WriteSession session, string workspace, string? server)
    {
        var state = PullStateRow.Read(session, workspace);
        var next = state with { Cursor = null, Generation = state.Generation + 1, Refetching = true, Server = server ?? state.Server };
        PullStateRow.Write(session, workspace, next);
        return next;
    }

    /// <summary>Each entity once, at its highest version in the page (a page may hold several changes of one entity).</summary>
    private static List<ChangeRecord> Latest(IReadOnlyList<ChangeRecord> changes, ref int skipped)
    {
        var latest = new Dictionary<string, int>(changes.Count, StringComparer.Ordinal);
        var result = new List<ChangeRecord>(changes.Count);
        foreach (var change in changes)
        {
            if (!IsAddressable(change.EntityId))
            {
                skipped++;
                continue;
            }

            if (latest.TryGetValue(change.EntityId, out var at))
            {
                if (change.Version >= result[at].Version)
                {
                    result[at] = change;
                }
            }
            else
            {
                latest[change.EntityId] = result.Count;
                result.Add(change);
            }
        }

        return result;
    }

    private static bool IsAddressable(string entityId)
    {
        try
        {
            DocumentIds.Validate(entityId, "entityId");
            return true;
        }
        catch (QueueException)
        {
            return false;
        }
    }
}

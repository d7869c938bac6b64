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
    private static readonly string Upsert = $"""
        INSERT INTO cache_entities (workspace, entity_id, type, version, deleted, evicted, pinned, size, payload_bytes,
                                    fetched_at, changed_at, access_seq, generation, payload)
        VALUES ($w, $e, $type, $v, $deleted, 0, 0,
                CASE WHEN $p IS NULL THEN 0 ELSE {DocumentSql.SizeOf("$p")} END, COALESCE(length(CAST($p AS BLOB)), 0),
                $now, $now, $access, $g, $p)
        ON CONFLICT (workspace, entity_id) DO UPDATE SET
            type = excluded.type, version = excluded.version, deleted = excluded.deleted, evicted = 0,
            size = excluded.size, payload_bytes = excluded.payload_bytes, fetched_at = excluded.fetched_at,
            changed_at = MAX(excluded.changed_at, cache_entities.changed_at + 1), generation = excluded.generation,
            payload = excluded.payload
        RETURNING payload_bytes;
        """;

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
        var changed = new List<string>();
        var skipped = 0;
        foreach (var change in Latest(page.Changes, ref skipped))
        {
            if (ApplyChange(session, workspace, change, generation, accessSeq, now, totals))
            {
                changed.Add(change.EntityId);
            }
        }

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
        if (!ApplyChange(session, workspace, entity, generation, accessSeq, session.NowMilliseconds, totals))
        {
            return false;
        }

        totals.Apply(session, workspace);
        PullStateRow.Stamp(session, workspace);
        session.TouchDocuments(workspace, [entity.EntityId]);
        return true;
    }

    /// <summary>One change of the server into its cached row, if newer than what is cached (versions never go back).</summary>
    private static bool ApplyChange(
        WriteSession session, string workspace, ChangeRecord change, long generation, long accessSeq, long now, CacheTotalsDelta totals)
    {
        var old = CachedRow.Read(session, workspace, change.EntityId);
        // The same version fills a stub again (a fetch of an evicted document); otherwise only newer versions are written.
        if (old is { } current && (current.Version > change.Version || (current.Version == change.Version && !current.Evicted)))
        {
            if (current.Generation != generation)
            {
                session.Sql("UPDATE cache_entities SET generation = $g WHERE workspace = $w AND entity_id = $e;")
                    .With("$g", generation)
                    .With("$w", workspace)
                    .With("$e", change.EntityId)
                    .ExecuteNonQuery();
            }

            return false;
        }

        if (old is { Deleted: false, Evicted: false } replaced)
        {
            MergeBases.KeepIfNeeded(session, workspace, change.EntityId, replaced.Version);
        }

        var bytes = session.Sql(Upsert)
            .With("$w", workspace)
            .With("$e", change.EntityId)
            .With("$type", change.Type)
            .With("$v", change.Version)
            .With("$deleted", change.Deleted ? 1 : 0)
            .With("$p", change.Deleted ? null : change.PayloadJson)
            .With("$now", now)
            .With("$access", accessSeq)
            .With("$g", generation)
            .ScalarInt64() ?? 0;
        totals.Add(old?.Totals, (change.Deleted, false, bytes));
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

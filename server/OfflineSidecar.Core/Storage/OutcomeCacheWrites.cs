using System.Buffers;
using System.Text;
using System.Text.Json;
using OperationStatus = OfflineSidecar.Core.Operations.OperationStatus;
using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Core.Sync.Flush;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// What the server's answers to our own operations mean for the cache and for the operations queued behind them, written
/// in the transaction that records those answers, so a read never shows the old content between the two.
/// </summary>
internal static class OutcomeCacheWrites
{
    // An operation whose expectedVersion equals that of the operation before it on the same entity was written on top
    // of it (the editor read the overlay, which showed the earlier one): once the earlier one is applied at version V,
    // the later one is based on V. Later operations of the entity are all still pending (only a head is sent).
    private const string RebaseSql = $"""
        WITH r AS MATERIALIZED (SELECT value ->> 0 AS seq, value ->> 1 AS entity, value ->> 2 AS old, value ->> 3 AS new
                                FROM json_each($rows))
        UPDATE operations SET expected_version = r.new
        FROM r
        WHERE operations.workspace = $w AND operations.entity_id = r.entity AND operations.seq > r.seq
          AND operations.{DocumentSql.Unfinished} AND operations.expected_version = r.old;
        """;

    // The answer's version with the operation's own content (the server now holds exactly that). Only rows the caller
    // found older than the answer are passed, so the update needs no condition of its own.
    private static readonly string CacheSql = $"""
        WITH r AS MATERIALIZED (SELECT value ->> 0 AS seq, value ->> 1 AS version FROM json_each($rows))
        INSERT INTO cache_entities (workspace, entity_id, type, version, deleted, evicted, pinned, size, payload_bytes,
                                    fetched_at, changed_at, access_seq, generation, payload)
        SELECT $w, o.entity_id, o.type, r.version, o.type = '{DocumentTypes.Delete}', 0, 0,
               CASE WHEN o.type = '{DocumentTypes.Put}' THEN {DocumentSql.SizeOf("o.payload")} ELSE 0 END,
               CASE WHEN o.type = '{DocumentTypes.Put}' THEN o.payload_bytes ELSE 0 END,
               $now, COALESCE(o.content_at, o.created_at), $access, $g,
               CASE WHEN o.type = '{DocumentTypes.Put}' THEN o.payload END
        FROM r CROSS JOIN operations AS o ON o.seq = r.seq
        WHERE o.workspace = $w
        ON CONFLICT (workspace, entity_id) DO UPDATE SET
            type = excluded.type, version = excluded.version, deleted = excluded.deleted, evicted = 0,
            size = excluded.size, payload_bytes = excluded.payload_bytes, fetched_at = excluded.fetched_at,
            changed_at = MAX(excluded.changed_at, cache_entities.changed_at), generation = excluded.generation,
            payload = excluded.payload;
        """;

    /// <summary>
    /// Succeeded operations: later operations written on top of them are rebased, and a document operation's content
    /// becomes the cached row at the answer's version (unless the cache already holds that version or a newer one: a
    /// duplicate's answer can be older than what the feed brought since). The row's mtime stays the operation's, which is
    /// what the editor already shows, so a save that follows is not taken for a change on the server.
    /// </summary>
    public static void ApplySucceeded(WriteSession session, string workspace, List<(OperationLocator Operation, OperationOutcome Outcome)> rows, long accessSeq)
    {
        List<(long Seq, string EntityId, long Old, long New)>? rebase = null;
        List<(OperationLocator Operation, long Version)>? documents = null;
        foreach (var (operation, outcome) in rows)
        {
            if (outcome.NewStatus != OperationStatus.Succeeded || operation.EntityId is not { } entityId || outcome.ServerVersion is not { } version)
            {
                continue;
            }

            if (operation.ExpectedVersion is { } expected)
            {
                (rebase ??= []).Add((operation.Seq, entityId, expected, version));
            }

            if (operation.Type is { } type && DocumentTypes.IsDocument(type))
            {
                (documents ??= []).Add((operation, version));
            }
        }

        if (rebase is not null)
        {
            session.Sql(RebaseSql).With("$w", workspace).With("$rows", RebaseJson(rebase)).ExecuteNonQuery();
        }

        if (documents is not null)
        {
            WriteDocuments(session, workspace, documents, accessSeq);
        }
    }

    /// <summary>A conflict merged cleanly: the operation carries the merged content on the server's version.</summary>
    public static void RecordMerge(WriteSession session, string workspace, OperationLocator operation, ConflictMerge merge)
    {
        session.Sql("""
                UPDATE operations SET payload = $p, payload_bytes = $b, content_at = $now, expected_version = $v
                WHERE seq = $s;
                """)
            .With("$p", merge.MergedPayloadJson)
            .With("$b", Encoding.UTF8.GetByteCount(merge.MergedPayloadJson))
            .With("$now", session.NowMilliseconds)
            .With("$v", merge.ServerVersion)
            .With("$s", operation.Seq)
            .ExecuteNonQuery();
        if (operation.EntityId is not { } entityId)
        {
            return;
        }

        if (operation.ExpectedVersion is { } old)
        {
            session.Sql(RebaseSql).With("$w", workspace).With("$rows", RebaseJson([(operation.Seq, entityId, old, merge.ServerVersion)])).ExecuteNonQuery();
        }

        // If it conflicts again, the next merge's base is what the server held when this one was made.
        MergeBases.Keep(session, workspace, entityId, merge.ServerVersion, merge.ServerPayloadJson);
        session.TouchDocuments(workspace, [entityId]);
    }

    private static void WriteDocuments(WriteSession session, string workspace, List<(OperationLocator Operation, long Version)> documents, long accessSeq)
    {
        var newer = new List<(long Seq, long Version)>(documents.Count);
        var totals = new CacheTotalsDelta();
        var touched = new List<string>(documents.Count);
        var deleted = false;
        foreach (var (operation, version) in documents)
        {
            if (operation.Cached is { } cached && cached.Version >= version)
            {
                continue;
            }

            var isDelete = operation.Type == DocumentTypes.Delete;
            totals.Add(operation.Cached?.Totals, (isDelete, false, isDelete ? 0 : operation.PayloadBytes));
            newer.Add((operation.Seq, version));
            touched.Add(operation.EntityId!);
            deleted |= isDelete;
        }

        if (newer.Count == 0)
        {
            return;
        }

        session.Sql(CacheSql)
            .With("$rows", Json(newer, static (w, d) =>
            {
                w.WriteStartArray();
                w.WriteNumberValue(d.Seq);
                w.WriteNumberValue(d.Version);
                w.WriteEndArray();
            }))
            .With("$w", workspace)
            .With("$now", session.NowMilliseconds)
            .With("$access", accessSeq)
            .With("$g", PullStateRow.Read(session, workspace).Generation)
            .ExecuteNonQuery();
        totals.Apply(session, workspace);
        if (deleted)
        {
            CacheMaintenance.PurgeTombstones(session, workspace);
        }

        PullStateRow.Stamp(session, workspace);
        session.TouchDocuments(workspace, touched);
    }

    private static string RebaseJson(IReadOnlyList<(long Seq, string EntityId, long Old, long New)> rows) => Json(rows, static (w, r) =>
    {
        w.WriteStartArray();
        w.WriteNumberValue(r.Seq);
        w.WriteStringValue(r.EntityId);
        w.WriteNumberValue(r.Old);
        w.WriteNumberValue(r.New);
        w.WriteEndArray();
    });

    /// <summary>A JSON array with one element per item, each written by <paramref name="write"/>.</summary>
    private static string Json<T>(IReadOnlyList<T> items, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(items.Count * 32 + 2);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var item in items)
            {
                write(writer, item);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

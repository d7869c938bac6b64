using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Storage.Attachments;

/// <summary>The <c>operation_attachments</c> rows: which blobs an operation carries, and which blobs nothing unfinished needs.</summary>
internal static class AttachmentRows
{
    public static void Insert(WriteSession session, long opSeq, IReadOnlyList<OperationAttachment> attachments)
    {
        for (var position = 0; position < attachments.Count; position++)
        {
            var attachment = attachments[position];
            session.Sql("""
                    INSERT INTO operation_attachments (op_seq, position, sha256, name, media_type, size)
                    VALUES ($s, $p, $h, $n, $m, $z);
                    """)
                .With("$s", opSeq)
                .With("$p", position)
                .With("$h", attachment.Sha256)
                .With("$n", attachment.Name)
                .With("$m", attachment.MediaType)
                .With("$z", attachment.Size)
                .ExecuteNonQuery();
        }
    }

    /// <summary>Removes one operation's rows (before it is deleted or its attachments replaced); their blobs are swept after commit.</summary>
    public static void Release(WriteSession session, long opSeq)
    {
        using var rows = session.Sql("DELETE FROM operation_attachments WHERE op_seq = $s RETURNING sha256;").With("$s", opSeq).ExecuteReader();
        while (rows.Read())
        {
            session.ReleaseBlob(rows.GetString(0));
        }
    }

    /// <summary>Like <see cref="Release"/> for every operation of a partition whose status is in <paramref name="statusSql"/> (all when null).</summary>
    public static void ReleaseWhere(WriteSession session, string workspace, string? statusSql)
    {
        var sql = "DELETE FROM operation_attachments WHERE op_seq IN (SELECT seq FROM operations WHERE workspace = $w" +
                  (statusSql is null ? "" : $" AND status IN ({statusSql})") + ") RETURNING sha256;";
        using var rows = session.Sql(sql).With("$w", workspace).ExecuteReader();
        while (rows.Read())
        {
            session.ReleaseBlob(rows.GetString(0));
        }
    }

    /// <summary>The blobs of operations that just succeeded: nothing will send them again (the rows stay, for the history).</summary>
    public static void ReleaseSucceeded(WriteSession session, IReadOnlyCollection<string> operationIds)
    {
        // The drain records every answer through here: without any attachment in the file, one probe instead of a
        // lookup per operation.
        if (operationIds.Count == 0 || session.Sql("SELECT EXISTS (SELECT 1 FROM operation_attachments);").ScalarInt64() != 1)
        {
            return;
        }

        using var rows = session.Sql("""
                SELECT a.sha256 FROM operation_attachments a JOIN operations o ON o.seq = a.op_seq
                WHERE o.id IN (SELECT value FROM json_each($ids));
                """)
            .With("$ids", CacheMaintenance.IdsJson(operationIds))
            .ExecuteReader();
        while (rows.Read())
        {
            session.ReleaseBlob(rows.GetString(0));
        }
    }

    /// <summary>How many hashes one statement of <see cref="Unneeded"/> checks: bounds the JSON argument and the rows it
    /// returns, whatever the number of files in the directory.</summary>
    public const int CheckBatch = 1000;

    /// <summary>Of <paramref name="sha256s"/>, the blobs no operation that may still be sent (anything but succeeded)
    /// carries, each once: one statement per <see cref="CheckBatch"/> hashes (an index lookup each), not one per blob.</summary>
    public static List<string> Unneeded(StatementCache statements, IReadOnlyList<string> sha256s)
    {
        var unneeded = new List<string>();
        for (var start = 0; start < sha256s.Count; start += CheckBatch)
        {
            using var rows = statements.Sql($"""
                    SELECT DISTINCT c.value FROM json_each($hashes) c
                    WHERE NOT EXISTS (SELECT 1 FROM operation_attachments a JOIN operations o ON o.seq = a.op_seq
                                      WHERE a.sha256 = c.value AND o.{DocumentSql.Unfinished});
                    """)
                .With("$hashes", CacheMaintenance.IdsJson(sha256s.Skip(start).Take(CheckBatch)))
                .ExecuteReader();
            while (rows.Read())
            {
                unneeded.Add(rows.GetString(0));
            }
        }

        return unneeded;
    }

    /// <summary>Fills in the attachments of operations read without them (one range read; nothing when none has any).</summary>
    public static List<Operation> AttachTo(StatementCache statements, List<Operation> operations)
    {
        if (operations.Count == 0)
        {
            return operations;
        }

        var low = long.MaxValue;
        var high = long.MinValue;
        foreach (var operation in operations)
        {
            low = Math.Min(low, operation.Sequence);
            high = Math.Max(high, operation.Sequence);
        }

        Dictionary<long, List<OperationAttachment>>? found = null;
        using (var rows = statements.Sql("""
                       SELECT op_seq, sha256, name, media_type, size FROM operation_attachments
                       WHERE op_seq BETWEEN $lo AND $hi ORDER BY op_seq, position;
                       """)
                   .With("$lo", low)
                   .With("$hi", high)
                   .ExecuteReader())
        {
            while (rows.Read())
            {
                found ??= [];
                var seq = rows.GetInt64(0);
                if (!found.TryGetValue(seq, out var list))
                {
                    found[seq] = list = [];
                }

                list.Add(new OperationAttachment(rows.GetString(1), rows.GetString(2), rows.GetStringOrNull(3), rows.GetInt64(4)));
            }
        }

        if (found is null)
        {
            return operations;
        }

        for (var i = 0; i < operations.Count; i++)
        {
            if (found.TryGetValue(operations[i].Sequence, out var attachments))
            {
                operations[i] = operations[i] with { Attachments = attachments };
            }
        }

        return operations;
    }

    public static Operation AttachTo(StatementCache statements, Operation operation) => AttachTo(statements, [operation])[0];
}

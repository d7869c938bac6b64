using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Storage.Salvage;

/// <summary>
/// Reads the unfinished operations out of a store file that may be damaged, skipping what cannot be read instead of
/// giving up at the first bad page. Works on a copy (the caller's): opening a database can write to it.
/// </summary>
internal static class DamagedStoreReader
{
    /// <summary>Past the last readable row, how far to probe for more when the file's own high-water mark is unreadable.</summary>
    private const long ProbeWindowWithoutHighWaterMark = 100_000;

    private const int SucceededStatus = (int)OperationStatus.Succeeded;

    internal sealed record Result(IReadOnlyList<SalvagedOperation> Operations, int Unreadable, long? CountedUnfinished);

    public static Result Read(string path)
    {
        StoreConnections.EnsureNativeLibrary();
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
        }
        catch (SqliteException)
        {
            return new Result([], 0, null);
        }

        var columns = Columns(connection);
        if (!columns.Contains("seq") || !columns.Contains("idempotency_key"))
        {
            return new Result([], 0, CountedUnfinished(connection));
        }

        var select = $"""
            SELECT seq, status, id, workspace, type, entity_id, idempotency_key, dedup_key, expected_version, priority,
                   created_at, payload_bytes, payload,
                   {(columns.Contains("expires_at") ? "expires_at" : "NULL")},
                   {(columns.Contains("client_trace_id") ? "client_trace_id" : "NULL")}
            FROM operations NOT INDEXED
            """;
        var rows = new List<(long Seq, NewOperation Operation, string Workspace)>();
        var unreadable = 0;
        var highWater = HighWaterMark(connection);
        long last = 0;
        while (true)
        {
            if (ScanFrom(connection, select, last, rows, ref unreadable) is not { } failedAfter)
            {
                break;
            }

            // A damaged page ended the scan: look up the following rows one by one, and scan again from the next that reads.
            last = failedAfter;
            var bound = highWater ?? last + ProbeWindowWithoutHighWaterMark;
            var resumed = false;
            for (var seq = last + 1; seq <= bound; seq++)
            {
                var probe = Probe(connection, select, seq, rows, ref unreadable);
                if (probe == ProbeOutcome.Read)
                {
                    last = seq;
                    resumed = true;
                    break;
                }
            }

            if (!resumed)
            {
                break;
            }
        }

        var operations = new List<SalvagedOperation>(rows.Count);
        foreach (var (seq, operation, workspace) in rows)
        {
            if (Attachments(connection, seq) is { } attachments)
            {
                operations.Add(new SalvagedOperation(workspace, operation, attachments));
            }
            else
            {
                unreadable++;
            }
        }

        return new Result(operations, unreadable, CountedUnfinished(connection));
    }

    private enum ProbeOutcome
    {
        Absent,
        Read,
        Unreadable,
    }

    /// <summary>Null when the scan reached the end; otherwise the last sequence number read before a damaged page.</summary>
    private static long? ScanFrom(SqliteConnection connection, string select, long after, List<(long, NewOperation, string)> rows, ref int unreadable)
    {
        var last = after;
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = select + " WHERE seq > $after ORDER BY seq;";
            command.Parameters.AddWithValue("$after", after);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                last = reader.GetInt64(0);
                Take(reader, rows, ref unreadable);
            }

            return null;
        }
        catch (SqliteException)
        {
            return last;
        }
    }

    private static ProbeOutcome Probe(SqliteConnection connection, string select, long seq, List<(long, NewOperation, string)> rows, ref int unreadable)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = select + " WHERE seq = $seq;";
            command.Parameters.AddWithValue("$seq", seq);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return ProbeOutcome.Absent;
            }

            Take(reader, rows, ref unreadable);
            return ProbeOutcome.Read;
        }
        catch (SqliteException)
        {
            return ProbeOutcome.Unreadable;
        }
    }

    private static void Take(SqliteDataReader reader, List<(long, NewOperation, string)> rows, ref int unreadable)
    {
        try
        {
            if (reader.GetInt32(1) == SucceededStatus)
            {
                return;
            }

            var operation = new NewOperation(
                Id: reader.GetString(2),
                Type: reader.GetString(4),
                EntityId: reader.IsDBNull(5) ? null : reader.GetString(5),
                PayloadJson: reader.GetString(12),
                PayloadBytes: reader.GetInt32(11),
                IdempotencyKey: reader.GetString(6),
                DedupKey: reader.IsDBNull(7) ? null : reader.GetString(7),
                ExpectedVersion: reader.IsDBNull(8) ? null : reader.GetInt64(8),
                Priority: (OperationPriority)reader.GetInt32(9),
                CreatedAt: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
                ExpiresAt: reader.IsDBNull(13) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(13)),
                ClientTraceId: reader.IsDBNull(14) ? null : reader.GetString(14));
            rows.Add((reader.GetInt64(0), operation, reader.GetString(3)));
        }
        catch (Exception error) when (error is InvalidCastException or InvalidOperationException or FormatException or ArgumentException or SqliteException)
        {
            // A row whose cells are mangled (wrong types, NULLs where the schema forbids them) is not an operation we can send.
            unreadable++;
        }
    }

    /// <summary>The operation's attachment references; null when they cannot be read.</summary>
    private static List<OperationAttachment>? Attachments(SqliteConnection connection, long seq)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT sha256, name, media_type, size FROM operation_attachments WHERE op_seq = $s ORDER BY position;";
            command.Parameters.AddWithValue("$s", seq);
            using var reader = command.ExecuteReader();
            var attachments = new List<OperationAttachment>();
            while (reader.Read())
            {
                attachments.Add(new OperationAttachment(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3)));
            }

            return attachments;
        }
        catch (SqliteException error) when (error.Message.Contains("no such table", StringComparison.Ordinal))
        {
            return []; // a file from before attachments existed
        }
        catch (Exception error) when (error is SqliteException or InvalidCastException or InvalidOperationException)
        {
            return null;
        }
    }

    private static HashSet<string> Columns(SqliteConnection connection)
    {
        var columns = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM pragma_table_info('operations');";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                columns.Add(reader.GetString(0));
            }
        }
        catch (SqliteException)
        {
            // The schema itself is unreadable: no table can be found by name.
        }

        return columns;
    }

    private static long? HighWaterMark(SqliteConnection connection) =>
        Scalar(connection, "SELECT seq FROM sqlite_sequence WHERE name = 'operations';");

    /// <summary>What the file's own counters say was unfinished, to tell how many were lost.</summary>
    private static long? CountedUnfinished(SqliteConnection connection) =>
        Scalar(connection, $"SELECT coalesce(sum(count), 0) FROM queue_counts WHERE status <> {SucceededStatus};");

    private static long? Scalar(SqliteConnection connection, string sql)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return command.ExecuteScalar() is long value ? value : null;
        }
        catch (SqliteException)
        {
            return null;
        }
    }
}

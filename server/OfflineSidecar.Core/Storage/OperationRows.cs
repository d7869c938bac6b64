using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Storage;

/// <summary>The column list every operation query selects, and its mapping. Payload comes last and only when asked for.</summary>
internal static class OperationRows
{
    public const string Columns =
        "seq, id, workspace, type, entity_id, idempotency_key, dedup_key, expected_version, priority, status, " +
        "attempts, next_attempt_at, last_error_code, last_error_message, created_at, updated_at, payload_bytes, expires_at, client_trace_id,"
        + " server_created_at";

    public const string ColumnsWithPayload = Columns + ", payload";

    /// <summary>The first ordinal after <see cref="ColumnsWithPayload"/>: where a query's own extra columns start.</summary>
    public const int AfterPayload = PayloadOrdinal + 1;

    private const int PayloadOrdinal = 20;

    public static Operation Read(SqliteDataReader row, bool withPayload) => new()
    {
        Sequence = row.GetInt64(0),
        Id = row.GetString(1),
        WorkspaceId = row.GetString(2),
        Type = row.GetString(3),
        EntityId = row.GetStringOrNull(4),
        IdempotencyKey = row.GetString(5),
        DedupKey = row.GetStringOrNull(6),
        ExpectedVersion = row.GetInt64OrNull(7),
        Priority = (OperationPriority)row.GetInt32(8),
        Status = (OperationStatus)row.GetInt32(9),
        Attempts = row.GetInt32(10),
        NextAttemptAt = row.GetInt64OrNull(11) is { } next ? UnixMilliseconds.To(next) : null,
        LastError = row.GetStringOrNull(12) is { } code ? new OperationError(code, row.GetStringOrNull(13) ?? string.Empty) : null,
        CreatedAt = UnixMilliseconds.To(row.GetInt64(14)),
        UpdatedAt = UnixMilliseconds.To(row.GetInt64(15)),
        PayloadBytes = row.GetInt32(16),
        ExpiresAt = row.GetInt64OrNull(17) is { } expires ? UnixMilliseconds.To(expires) : null,
        ClientTraceId = row.GetStringOrNull(18),
        ServerCreatedAt = row.GetInt64OrNull(19) is { } serverCreated ? UnixMilliseconds.To(serverCreated) : null,
        PayloadJson = withPayload ? row.GetString(PayloadOrdinal) : null,
    };

    public static List<Operation> ReadAll(SqliteCommand command, bool withPayload)
    {
        var operations = new List<Operation>();
        using var row = command.ExecuteReader();
        while (row.Read())
        {
            operations.Add(Read(row, withPayload));
        }

        return operations;
    }

    public static Operation? ReadSingle(SqliteCommand command, bool withPayload)
    {
        using var row = command.ExecuteReader();
        return row.Read() ? Read(row, withPayload) : null;
    }
}

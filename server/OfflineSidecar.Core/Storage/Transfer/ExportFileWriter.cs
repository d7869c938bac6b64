using System.Text.Json;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Storage.Attachments;

namespace OfflineSidecar.Core.Storage.Transfer;

/// <summary>
/// Streams a workspace's unfinished operations (enqueue order, so import keeps each entity's order) to a
/// temporary owner-only file, then renames it over the target: a reader never sees half an export.
/// </summary>
internal static class ExportFileWriter
{
    private static readonly OperationStatus[] ExportedStatuses = [OperationStatus.Pending, OperationStatus.Failed, OperationStatus.Conflict];

    /// <summary>Attachments travel inside the file (base64 under <c>blobs</c>, once per content), so an export stays one
    /// file the user can hand over.</summary>
    public static int Write(StatementCache reader, string workspace, string path, DateTimeOffset exportedAt, BlobStore blobs)
    {
        var carried = new SortedSet<string>(StringComparer.Ordinal);
        var fullPath = Path.GetFullPath(path);
        var temporary = $"{fullPath}.{Guid.NewGuid():N}.tmp";
        var count = 0;
        try
        {
            using (var file = new FileStream(temporary, OwnerOnlyNewFile()))
            using (var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteString("format", ExportFormat.FormatName);
                json.WriteNumber("version", ExportFormat.Version);
                json.WriteString("exportedAt", ExportFormat.Time(exportedAt));
                json.WriteString("workspaceId", workspace);
                json.WriteStartArray("operations");
                // Most stores carry no attachments: then no operation is looked up for them.
                var anyAttachments = reader.Sql("SELECT EXISTS (SELECT 1 FROM operation_attachments);").ScalarInt64() == 1;
                using (var rows = reader.Sql($"""
                               SELECT {OperationRows.ColumnsWithPayload} FROM operations
                               WHERE workspace = $w AND status IN ({StatusList.Sql(ExportedStatuses)})
                               ORDER BY seq;
                               """)
                           .With("$w", workspace)
                           .ExecuteReader())
                {
                    while (rows.Read())
                    {
                        var read = OperationRows.Read(rows, withPayload: true);
                        var operation = anyAttachments ? AttachmentRows.AttachTo(reader, read) : read;
                        WriteOperation(json, operation);
                        carried.UnionWith(operation.Attachments.Select(static a => a.Sha256));
                        count++;
                    }
                }

                json.WriteEndArray();
                json.WriteStartObject("blobs");
                foreach (var sha256 in carried)
                {
                    // A blob swept meanwhile belongs to an operation that succeeded after this read began: not needed.
                    if (blobs.Read(sha256) is { } content)
                    {
                        json.WriteBase64String(sha256, content);
                    }
                }

                json.WriteEndObject();
                json.WriteEndObject();
                json.Flush();
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
            return count;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static FileStreamOptions OwnerOnlyNewFile()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Payloads are user data; the export gets the same owner-only mode as the database.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private static void WriteOperation(Utf8JsonWriter json, Operation operation)
    {
        json.WriteStartObject();
        json.WriteString("id", operation.Id);
        json.WriteString("workspaceId", operation.WorkspaceId);
        json.WriteString("type", operation.Type);
        WriteStringOrNull(json, "entityId", operation.EntityId);
        json.WritePropertyName("payload");
        // Stored payloads were validated as JSON at enqueue; embed them as values, not strings.
        json.WriteRawValue(operation.PayloadJson!, skipInputValidation: true);
        json.WriteNumber("payloadBytes", operation.PayloadBytes);
        json.WriteString("idempotencyKey", operation.IdempotencyKey);
        WriteStringOrNull(json, "dedupKey", operation.DedupKey);
        if (operation.ExpectedVersion is { } expected)
        {
            json.WriteNumber("expectedVersion", expected);
        }
        else
        {
            json.WriteNull("expectedVersion");
        }

        json.WriteString("priority", OperationWords.Of(operation.Priority));
        json.WriteString("status", OperationWords.Of(operation.Status));
        json.WriteNumber("attempts", operation.Attempts);
        WriteStringOrNull(json, "nextAttemptAt", operation.NextAttemptAt is { } next ? ExportFormat.Time(next) : null);
        WriteStringOrNull(json, "expiresAt", operation.ExpiresAt is { } expires ? ExportFormat.Time(expires) : null);
        WriteStringOrNull(json, "clientTraceId", operation.ClientTraceId);
        if (operation.LastError is { } error)
        {
            json.WriteStartObject("lastError");
            json.WriteString("code", error.Code);
            json.WriteString("message", error.Message);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("lastError");
        }

        json.WriteString("createdAt", ExportFormat.Time(operation.CreatedAt));
        json.WriteString("updatedAt", ExportFormat.Time(operation.UpdatedAt));
        json.WriteStartArray("attachments");
        foreach (var attachment in operation.Attachments)
        {
            json.WriteStartObject();
            json.WriteString("sha256", attachment.Sha256);
            json.WriteString("name", attachment.Name);
            WriteStringOrNull(json, "mediaType", attachment.MediaType);
            json.WriteNumber("size", attachment.Size);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}

using System.Text.Json;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage.Attachments;

namespace OfflineSidecar.Core.Storage.Transfer;

/// <summary>
/// Reads and validates a whole export file before anything is written, so a bad file is refused
/// without a partial import. Imported operations start over as pending: they are new work here.
/// </summary>
internal static class ExportFileReader
{
    /// <summary>Attachments are staged (verified against their hash) before anything is written; the caller deletes
    /// the staged copies the import did not move.</summary>
    public static List<NewOperation> Read(string path, int maxPayloadBytes, BlobStore blobs, string owner)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw OperationInputRules.Invalid($"path: cannot read {path}: {error.Message}");
        }

        JsonDocument document;
        try
        {
            // Operations add three levels above each payload.
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = OperationInputRules.MaxPayloadDepth + 3 });
        }
        catch (JsonException)
        {
            throw OperationInputRules.Invalid("import: the file is not valid JSON");
        }

        using (document)
        {
            var operations = ReadRoot(document.RootElement, maxPayloadBytes, out var references);
            return StageAttachments(document.RootElement, operations, references, blobs, owner);
        }
    }

    private static List<NewOperation> StageAttachments(
        JsonElement root, List<NewOperation> operations, List<IReadOnlyList<OperationAttachment>> references, BlobStore blobs, string owner)
    {
        var carried = root.TryGetProperty("blobs", out var section) && section.ValueKind == JsonValueKind.Object ? section : default;
        var staged = new List<StagedAttachment>();
        try
        {
            for (var i = 0; i < operations.Count; i++)
            {
                if (references[i].Count == 0)
                {
                    continue;
                }

                var files = new List<StagedAttachment>(references[i].Count);
                foreach (var reference in references[i])
                {
                    if (carried.ValueKind != JsonValueKind.Object || !carried.TryGetProperty(reference.Sha256, out var encoded)
                        || encoded.ValueKind != JsonValueKind.String || !encoded.TryGetBytesFromBase64(out var content))
                    {
                        throw new QueueException(
                            QueueErrorKind.AttachmentUnreadable, $"import: operations[{i}].attachments: the file carries no content for {reference.Name} ({reference.Sha256})");
                    }

                    var file = blobs.StageBytes(reference, content, owner);
                    staged.Add(file);
                    files.Add(file);
                }

                operations[i] = operations[i] with { Attachments = files };
            }

            return operations;
        }
        catch
        {
            foreach (var file in staged)
            {
                file.DeleteIfLeft();
            }

            throw;
        }
    }

    private static List<NewOperation> ReadRoot(JsonElement root, int maxPayloadBytes, out List<IReadOnlyList<OperationAttachment>> references)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String
            || format.GetString() != ExportFormat.FormatName)
        {
            throw OperationInputRules.Invalid($"import: not an {ExportFormat.FormatName} file");
        }

        if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number
            || !version.TryGetInt32(out var number) || number is < ExportFormat.OldestReadableVersion or > ExportFormat.Version)
        {
            throw OperationInputRules.Invalid($"import: unsupported version (expected {ExportFormat.OldestReadableVersion} to {ExportFormat.Version})");
        }

        if (!root.TryGetProperty("operations", out var operations) || operations.ValueKind != JsonValueKind.Array)
        {
            throw OperationInputRules.Invalid("import: operations: required array");
        }

        var result = new List<NewOperation>(operations.GetArrayLength());
        references = new List<IReadOnlyList<OperationAttachment>>(result.Capacity);
        var index = 0;
        foreach (var element in operations.EnumerateArray())
        {
            try
            {
                result.Add(ReadOperation(element, maxPayloadBytes));
                references.Add(ReadAttachments(element));
            }
            catch (QueueException refusal)
            {
                throw new QueueException(refusal.Kind, $"import: operations[{index}].{refusal.Message}");
            }

            index++;
        }

        return result;
    }

    private static NewOperation ReadOperation(JsonElement element, int maxPayloadBytes)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw OperationInputRules.Invalid("operation: must be an object");
        }

        var id = RequiredString(element, "id");
        OperationInputRules.ValidateKey(id, "id");
        var type = RequiredString(element, "type");
        OperationInputRules.ValidateType(type);
        if (!element.TryGetProperty("payload", out var payload) || payload.ValueKind == JsonValueKind.Undefined)
        {
            throw OperationInputRules.Invalid("payload: required");
        }

        var payloadJson = payload.GetRawText();
        var payloadBytes = OperationInputRules.ValidatePayload(payloadJson, maxPayloadBytes);
        var entityId = OptionalString(element, "entityId");
        OperationInputRules.ValidateKey(entityId, "entityId");
        var dedupKey = OptionalString(element, "dedupKey");
        OperationInputRules.ValidateKey(dedupKey, "dedupKey");
        var idempotencyKey = RequiredString(element, "idempotencyKey");
        OperationInputRules.ValidateKey(idempotencyKey, "idempotencyKey");

        long? expectedVersion = null;
        if (element.TryGetProperty("expectedVersion", out var expected) && expected.ValueKind != JsonValueKind.Null)
        {
            expectedVersion = expected.ValueKind == JsonValueKind.Number && expected.TryGetInt64(out var v)
                ? v
                : throw OperationInputRules.Invalid("expectedVersion: must be an integer or null");
        }

        var priority = OperationPriority.Normal;
        if (OptionalString(element, "priority") is { } priorityWord && !OperationWords.TryParsePriority(priorityWord, out priority))
        {
            throw OperationInputRules.Invalid("priority: must be high, normal or low");
        }

        if (OptionalString(element, "status") is { } statusWord && !OperationWords.TryParseStatus(statusWord, out _))
        {
            throw OperationInputRules.Invalid("status: unknown status");
        }

        if (!ExportFormat.TryParseTime(RequiredString(element, "createdAt"), out var createdAt))
        {
            throw OperationInputRules.Invalid("createdAt: must be an ISO-8601 time");
        }

        DateTimeOffset? expiresAt = null;
        if (OptionalString(element, "expiresAt") is { } expiresWord)
        {
            // Kept as exported, even when already past: the imported operation then expires instead of being sent.
            expiresAt = ExportFormat.TryParseTime(expiresWord, out var parsed) ? parsed : throw OperationInputRules.Invalid("expiresAt: must be an ISO-8601 time or null");
        }

        var clientTraceId = OptionalString(element, "clientTraceId");
        OperationInputRules.ValidateKey(clientTraceId, "clientTraceId");
        return new NewOperation(id, type, entityId, payloadJson, payloadBytes, idempotencyKey, dedupKey, expectedVersion, priority, createdAt, expiresAt, clientTraceId);
    }

    private static List<OperationAttachment> ReadAttachments(JsonElement element)
    {
        var attachments = new List<OperationAttachment>();
        if (!element.TryGetProperty("attachments", out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return attachments;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw OperationInputRules.Invalid("attachments: must be an array");
        }

        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw OperationInputRules.Invalid("attachments: each must be an object");
            }

            var sha256 = RequiredString(item, "sha256");
            if (!BlobStore.IsBlobName(sha256))
            {
                throw OperationInputRules.Invalid("attachments.sha256: must be 64 lowercase hex digits");
            }

            var name = RequiredString(item, "name");
            OperationInputRules.ValidateKey(name, "attachments.name");
            var mediaType = OptionalString(item, "mediaType");
            OperationInputRules.ValidateKey(mediaType, "attachments.mediaType");
            if (!item.TryGetProperty("size", out var size) || !size.TryGetInt64(out var bytes) || bytes < 0)
            {
                throw OperationInputRules.Invalid("attachments.size: required non-negative integer");
            }

            attachments.Add(new OperationAttachment(sha256, name, mediaType, bytes));
        }

        return attachments;
    }

    private static string RequiredString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw OperationInputRules.Invalid($"{name}: required string");

    private static string? OptionalString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw OperationInputRules.Invalid($"{name}: must be a string or null");
    }
}

using System.Text.Json;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Storage.Transfer;

/// <summary>
/// Reads and validates a whole export file before anything is written, so a bad file is refused
/// without a partial import. Imported operations start over as pending: they are new work here.
/// </summary>
internal static class ExportFileReader
{
    public static List<NewOperation> Read(string path, int maxPayloadBytes)
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
            return ReadRoot(document.RootElement, maxPayloadBytes);
        }
    }

    private static List<NewOperation> ReadRoot(JsonElement root, int maxPayloadBytes)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String
            || format.GetString() != ExportFormat.FormatName)
        {
            throw OperationInputRules.Invalid($"import: not an {ExportFormat.FormatName} file");
        }

        if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number
            || !version.TryGetInt32(out var number) || number != ExportFormat.Version)
        {
            throw OperationInputRules.Invalid($"import: unsupported version (expected {ExportFormat.Version})");
        }

        if (!root.TryGetProperty("operations", out var operations) || operations.ValueKind != JsonValueKind.Array)
        {
            throw OperationInputRules.Invalid("import: operations: required array");
        }

        var result = new List<NewOperation>(operations.GetArrayLength());
        var index = 0;
        foreach (var element in operations.EnumerateArray())
        {
            try
            {
                result.Add(ReadOperation(element, maxPayloadBytes));
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

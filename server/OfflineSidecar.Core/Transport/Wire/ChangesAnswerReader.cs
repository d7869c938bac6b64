using System.Text.Json;
using OfflineSidecar.Core.Cache;

namespace OfflineSidecar.Core.Transport.Wire;

/// <summary>
/// Reads a <c>GET /sync/changes</c> answer and refuses one that cannot be trusted, before anything is written: not JSON,
/// a change without an id, type or version, a live document without payload, a cursor that is no cursor or lies
/// before the one asked from, or "more" promised with nothing given (a pull would never end).
/// </summary>
internal static class ChangesAnswerReader
{
    public static ServerRead<ChangesPage> Read(ReadOnlyMemory<byte> body, string? since)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 256 });
            return Read(document.RootElement, since);
        }
        catch (JsonException exception)
        {
            return ServerRead<ChangesPage>.Malformed("the changes answer is not JSON: " + exception.Message);
        }
    }

    private static ServerRead<ChangesPage> Read(JsonElement root, string? since)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Bad("not a JSON object");
        }

        if (!root.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
        {
            return Bad("changes: missing or not an array");
        }

        if (!root.TryGetProperty("cursor", out var cursorElement) || cursorElement.ValueKind != JsonValueKind.String
            || cursorElement.GetString() is not { } cursor || !FeedCursor.IsWellFormed(cursor))
        {
            return Bad("cursor: missing or not a cursor (a decimal number)");
        }

        if (!root.TryGetProperty("hasMore", out var hasMoreElement) || hasMoreElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return Bad("hasMore: missing or not a boolean");
        }

        long? remaining = root.TryGetProperty("remaining", out var remainingElement) && remainingElement.TryGetInt64(out var count) ? count : null;
        var records = new List<ChangeRecord>(changes.GetArrayLength());
        var index = 0;
        foreach (var change in changes.EnumerateArray())
        {
            if (ReadChange(change) is not { } record)
            {
                return Bad($"changes[{index}]: needs entityId, type, version and deleted, and a payload unless deleted");
            }

            records.Add(record);
            index++;
        }

        var order = FeedCursor.Compare(cursor, since);
        if (order < 0)
        {
            return Bad($"cursor went backwards (asked from {since}, got {cursor})");
        }

        if (order == 0 && records.Count > 0)
        {
            return Bad($"cursor did not move past {records.Count} changes");
        }

        var hasMore = hasMoreElement.GetBoolean();
        if (hasMore && records.Count == 0)
        {
            return Bad("hasMore with no changes (the pull would never end)");
        }

        return ServerRead<ChangesPage>.Ok(new ChangesPage(records, cursor, hasMore, remaining));
    }

    /// <summary>One change, or null when a member is missing or of the wrong kind.</summary>
    internal static ChangeRecord? ReadChange(JsonElement change)
    {
        try
        {
            return ReadChangeMembers(change);
        }
        catch (InvalidOperationException)
        {
            // A string member holding an escaped lone surrogate: valid JSON, but no text.
            return null;
        }
    }

    private static ChangeRecord? ReadChangeMembers(JsonElement change)
    {
        if (change.ValueKind != JsonValueKind.Object
            || !change.TryGetProperty("entityId", out var entityId) || entityId.ValueKind != JsonValueKind.String || entityId.GetString() is not { Length: > 0 } id
            || !change.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() is not { Length: > 0 } typeName
            || !change.TryGetProperty("version", out var version) || !version.TryGetInt64(out var versionNumber) || versionNumber < 0)
        {
            return null;
        }

        var deleted = change.TryGetProperty("deleted", out var deletedElement) && deletedElement.ValueKind == JsonValueKind.True;
        if (change.TryGetProperty("deleted", out deletedElement) && deletedElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return null;
        }

        string? payload = null;
        if (!deleted)
        {
            if (!change.TryGetProperty("payload", out var payloadElement) || payloadElement.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            payload = payloadElement.GetRawText();
        }

        return new ChangeRecord(id, typeName, versionNumber, payload, deleted);
    }

    private static ServerRead<ChangesPage> Bad(string what) => ServerRead<ChangesPage>.Malformed("the changes answer is not usable: " + what);
}

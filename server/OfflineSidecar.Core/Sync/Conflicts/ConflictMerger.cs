using System.Text.Json;
using System.Text.Json.Nodes;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Sync.Flush;

namespace OfflineSidecar.Core.Sync.Conflicts;

/// <summary>
/// Tries a three-way merge of a conflicting text document: the base is the server version the edit was written on
/// (kept by the cache), "mine" the operation's content, "theirs" the server's current content. When no line region was
/// changed differently by both, the operation goes back to pending with the merged content, on the server's version.
/// Deletes on either side, non-text payloads and a missing base stay conflicts for the user.
/// </summary>
public sealed class ConflictMerger(ICacheStore? cache)
{
    /// <summary>The outcomes with every cleanly mergeable document conflict replaced by a merged outcome.</summary>
    public async Task<IReadOnlyList<OperationOutcome>> MergeAsync(
        IReadOnlyList<Operation> batch, IReadOnlyList<OperationOutcome> outcomes, CancellationToken cancellationToken)
    {
        if (cache is null || !outcomes.Any(o => o.NewStatus == OperationStatus.Conflict))
        {
            return outcomes;
        }

        var operations = batch.ToDictionary(o => o.Id, StringComparer.Ordinal);
        var result = new List<OperationOutcome>(outcomes.Count);
        foreach (var outcome in outcomes)
        {
            if (outcome is { NewStatus: OperationStatus.Conflict, Conflict: { } snapshot } && operations.TryGetValue(outcome.Id, out var operation)
                && await TryMergeAsync(operation, snapshot, cancellationToken).ConfigureAwait(false) is { } merge)
            {
                result.Add(Merged(outcome, merge));
            }
            else
            {
                result.Add(outcome);
            }
        }

        return result;
    }

    /// <summary>A clean merge of <paramref name="operation"/> with the server's <paramref name="snapshot"/>, or null.</summary>
    public async Task<ConflictMerge?> TryMergeAsync(Operation operation, ConflictSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (cache is null || operation.Type != DocumentTypes.Put || operation.EntityId is not { } entityId
            || operation.ExpectedVersion is not { } baseVersion || snapshot.ServerPayloadJson is not { } theirsJson)
        {
            return null;
        }

        // Version 0 is "never existed": an empty document is what the new file was written on.
        var basePayload = baseVersion == 0 ? DocumentPayload.Create(string.Empty)
            : await cache.GetBaseAsync(entityId, baseVersion, cancellationToken).ConfigureAwait(false);
        return basePayload is null ? null : TryMerge(basePayload, operation.PayloadJson, snapshot.ServerVersion, theirsJson);
    }

    /// <summary>Pure: the merge of three document payloads, or null when one is not a text document or changes overlap.</summary>
    public static ConflictMerge? TryMerge(string basePayload, string? minePayload, long serverVersion, string theirsPayload)
    {
        if (DocumentPayload.TryReadContent(basePayload) is not { } baseText
            || DocumentPayload.TryReadContent(minePayload) is not { } mine
            || DocumentPayload.TryReadContent(theirsPayload) is not { } theirs)
        {
            return null;
        }

        var merged = ThreeWayTextMerge.Merge(baseText, mine, theirs);
        return merged.MergedText is { } text ? new ConflictMerge(serverVersion, theirsPayload, WithContent(minePayload!, text)) : null;
    }

    /// <summary>Mine's payload with its content replaced, so members other than the text are kept as the user sent them.</summary>
    private static string WithContent(string payloadJson, string content)
    {
        var node = JsonNode.Parse(payloadJson)!.AsObject();
        node["content"] = content;
        return node.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static OperationOutcome Merged(OperationOutcome conflict, ConflictMerge merge) => conflict with
    {
        NewStatus = OperationStatus.Pending,
        AttemptOutcome = AttemptOutcomes.Merged,
        CountsAsAttempt = false,
        NextAttemptAt = null,
        Error = null,
        Conflict = null,
        ServerVersion = merge.ServerVersion,
        Merge = merge,
    };
}

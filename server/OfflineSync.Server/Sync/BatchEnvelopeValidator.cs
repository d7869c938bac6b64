using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Sync;

/// <summary>Checks what must hold for any result to be addressable: without a commandId, or with two
/// commands sharing one, the client could not match results to commands.</summary>
internal static class BatchEnvelopeValidator
{
    public const int MaxWorkspaceIdLength = 256;

    public static BatchProblem? Check(CommandBatchRequest? batch, int maxCommands)
    {
        if (batch is null)
        {
            return Invalid("body: a JSON object is required");
        }

        if (string.IsNullOrEmpty(batch.WorkspaceId) || batch.WorkspaceId.Length > MaxWorkspaceIdLength)
        {
            return Invalid($"workspaceId: required, at most {MaxWorkspaceIdLength} characters");
        }

        if (string.IsNullOrEmpty(batch.ClientId))
        {
            return Invalid("clientId: required");
        }

        if (batch.Commands is null)
        {
            return Invalid("commands: required");
        }

        if (batch.Commands.Count > maxCommands)
        {
            return new BatchProblem(
                StatusCodes.Status413PayloadTooLarge, ErrorCodes.BatchTooLarge, $"commands: at most {maxCommands} per request, got {batch.Commands.Count}");
        }

        var seen = new HashSet<string>(batch.Commands.Count, StringComparer.Ordinal);
        for (var i = 0; i < batch.Commands.Count; i++)
        {
            var commandId = batch.Commands[i]?.CommandId;
            if (string.IsNullOrEmpty(commandId))
            {
                return Invalid($"commands[{i}].commandId: required");
            }

            if (!seen.Add(commandId))
            {
                return Invalid($"commands[{i}].commandId: '{commandId}' appears twice in the batch");
            }
        }

        return null;
    }

    private static BatchProblem Invalid(string message) => new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, message);
}

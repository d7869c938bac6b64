using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Commands;

/// <summary>Decides, without touching storage, whether a command can be applied at all. Rejections here are
/// permanent: resending the same command can never succeed.</summary>
internal static class CommandValidator
{
    /// <returns>The command to apply, or null with <paramref name="rejection"/> set.</returns>
    public static DocumentCommand? Validate(string commandId, SyncCommand command, out CommandResult? rejection)
    {
        rejection = null;
        if (string.IsNullOrEmpty(command.IdempotencyKey) || command.IdempotencyKey.Length > CommandLimits.MaxIdempotencyKeyLength)
        {
            rejection = Reject(commandId, ResultCodes.ValidationFailed, $"idempotencyKey: required, at most {CommandLimits.MaxIdempotencyKeyLength} characters");
            return null;
        }

        if (string.IsNullOrEmpty(command.Type) || command.Type.Length > CommandLimits.MaxTypeLength)
        {
            rejection = Reject(commandId, ResultCodes.ValidationFailed, $"type: required, at most {CommandLimits.MaxTypeLength} characters");
            return null;
        }

        switch (command.Type)
        {
            case CommandTypes.TestReject:
                rejection = Reject(commandId, ResultCodes.ValidationFailed, $"{CommandTypes.TestReject} is always rejected");
                return null;
            case CommandTypes.DocumentPut:
            case CommandTypes.DocumentDelete:
                break;
            default:
                rejection = Reject(commandId, ResultCodes.UnknownType, $"unknown command type '{command.Type}'");
                return null;
        }

        if (string.IsNullOrEmpty(command.EntityId))
        {
            rejection = Reject(commandId, ResultCodes.EntityRequired, $"entityId: required for {command.Type}");
            return null;
        }

        if (command.EntityId.Length > CommandLimits.MaxEntityIdLength)
        {
            rejection = Reject(commandId, ResultCodes.ValidationFailed, $"entityId: at most {CommandLimits.MaxEntityIdLength} characters");
            return null;
        }

        if (command.ExpectedVersion is < 0)
        {
            rejection = Reject(commandId, ResultCodes.ValidationFailed, "expectedVersion: must be 0 or greater");
            return null;
        }

        if (command.Type == CommandTypes.DocumentPut && command.Payload is null)
        {
            rejection = Reject(commandId, ResultCodes.ValidationFailed, $"payload: required (not null) for {CommandTypes.DocumentPut}");
            return null;
        }

        foreach (var attachment in command.Attachments ?? [])
        {
            if (attachment?.Sha256 is not { } sha256 || !BlobNames.IsValid(sha256) || string.IsNullOrEmpty(attachment.Name))
            {
                rejection = Reject(commandId, ResultCodes.ValidationFailed, "attachments: each needs a sha256 (64 lowercase hex digits) and a name");
                return null;
            }
        }

        var payloadUtf8 = command.Type == CommandTypes.DocumentPut ? command.Payload?.Utf8 : null;
        return new DocumentCommand(commandId, command.IdempotencyKey, command.Type, command.EntityId, command.ExpectedVersion, payloadUtf8);
    }

    private static CommandResult Reject(string commandId, string code, string message) => new()
    {
        CommandId = commandId,
        Status = CommandStatuses.Rejected,
        Code = code,
        Message = message,
    };
}

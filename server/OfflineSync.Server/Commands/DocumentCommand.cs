namespace OfflineSync.Server.Commands;

/// <summary>A command that passed validation and targets one document; what the store applies.</summary>
internal sealed record DocumentCommand(
    string CommandId,
    string IdempotencyKey,
    string Type,
    string EntityId,
    long? ExpectedVersion,
    string? PayloadJson)
{
    public bool IsDelete => Type == CommandTypes.DocumentDelete;
}

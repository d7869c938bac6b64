namespace OfflineSync.Server.Commands;

/// <summary>A command that passed validation and targets one document; what the store applies.</summary>
/// <param name="PayloadUtf8">The payload's JSON text as UTF-8, for puts; null for deletes.</param>
internal sealed record DocumentCommand(
    string CommandId,
    string IdempotencyKey,
    string Type,
    string EntityId,
    long? ExpectedVersion,
    byte[]? PayloadUtf8)
{
    public bool IsDelete => Type == CommandTypes.DocumentDelete;
}

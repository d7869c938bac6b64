using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Sync;

/// <summary>
/// One stderr line per command that came with a <c>clientTraceId</c>, with its result: what support greps for when a
/// user quotes the id. Its category logs at Information while the rest of the server logs warnings only.
/// </summary>
internal sealed partial class CommandTraceLog(ILogger<CommandTraceLog> logger)
{
    public void Write(IReadOnlyList<SyncCommand?> commands, IReadOnlyList<CommandResult> results, string accountId)
    {
        for (var i = 0; i < commands.Count && i < results.Count; i++)
        {
            if (commands[i]?.ClientTraceId is { } trace)
            {
                var result = results[i];
                LogCommand(logger, trace, result.CommandId, commands[i]!.Type, commands[i]!.EntityId, accountId, result.Status, result.Code);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "trace {ClientTraceId}: command {CommandId} {Type} {EntityId} of {AccountId} -> {Status} {Code}")]
    private static partial void LogCommand(ILogger logger, string clientTraceId, string commandId, string? type, string? entityId, string accountId, string status, string? code);
}

namespace OfflineSidecar.Core.Transport;

/// <summary>One command's result; <see cref="CommandId"/> is the operation id it answers.</summary>
public sealed record CommandResult(
    string CommandId,
    CommandStatus Status,
    long? Version = null,
    ServerEntityState? Server = null,
    string? Code = null,
    string? Message = null);

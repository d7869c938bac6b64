namespace OfflineSync.Server.Wire;

/// <param name="ServerTime">UTC, serialized with a Z suffix.</param>
internal sealed record HealthResponse(
    DateTime ServerTime,
    int ProtocolVersion,
    int MaxBatchCommands,
    long MaxBodyBytes);

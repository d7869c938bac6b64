using System.Text.Json.Serialization;

namespace OfflineSync.Server.Wire;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(CommandBatchRequest))]
[JsonSerializable(typeof(CommandBatchResponse))]
[JsonSerializable(typeof(ChangesResponse))]
[JsonSerializable(typeof(ChangeRecord))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(StatsSnapshot))]
[JsonSerializable(typeof(FaultSettings))]
[JsonSerializable(typeof(AdminEntityWriteRequest))]
[JsonSerializable(typeof(EntityState))]
[JsonSerializable(typeof(PruneResponse))]
[JsonSerializable(typeof(CompactRequest))]
[JsonSerializable(typeof(CompactResponse))]
[JsonSerializable(typeof(WhoAmIResponse))]
[JsonSerializable(typeof(CommandLogResponse))]
internal sealed partial class SyncJsonContext : JsonSerializerContext;

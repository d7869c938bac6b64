using System.Text.Json.Serialization;

namespace OfflineSync.Server.Wire;

internal sealed record ChangeRecord(
    string EntityId,
    string Type,
    long Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] RawJson? Payload,
    bool Deleted);

using System.Text.Json.Serialization;

namespace OfflineSync.Server.Wire;

/// <summary>An entity's current state; version 0 with a null payload means it does not exist.</summary>
internal sealed record EntityState(
    long Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] RawJson? Payload,
    bool Deleted)
{
    public static EntityState Missing { get; } = new(0, null, false);
}

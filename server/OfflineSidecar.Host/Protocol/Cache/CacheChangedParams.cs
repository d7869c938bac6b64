using System.Text.Json.Serialization;

namespace OfflineSidecar.Host.Protocol.Cache;

/// <summary>Absent <see cref="EntityIds"/>: anything may have changed (too many to list, or another process).</summary>
public sealed record CacheChangedParams(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? EntityIds);

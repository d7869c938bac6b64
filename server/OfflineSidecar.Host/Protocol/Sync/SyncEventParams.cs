using System.Text.Json.Serialization;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Protocol.Queue;

namespace OfflineSidecar.Host.Protocol.Sync;

/// <summary>The flush summary members are only present on <c>flushCompleted</c> (and total on <c>flushStarted</c>).</summary>
public sealed record SyncEventParams
{
    public required SyncEventKind Kind { get; init; }
    public required QueueCountsDto Counts { get; init; }
    public required IReadOnlyList<string> Ids { get; init; }
    public required string? Message { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Total { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Applied { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Failed { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Conflicts { get; init; }
}

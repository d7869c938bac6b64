using System.Text.Json.Serialization;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Host.Protocol.Serialization;

namespace OfflineSidecar.Host.Protocol.Cache;

/// <summary>The protocol's <c>CacheEntry</c>: a document as reads show it. <see cref="Payload"/> only in <c>cache/get</c>.</summary>
public sealed record CacheEntryDto
{
    public required string EntityId { get; init; }
    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RawJson? Payload { get; init; }

    /// <summary>The server version the overlay is based on (0: never on the server).</summary>
    public required long Version { get; init; }

    public required CacheState State { get; init; }
    public required long Size { get; init; }

    /// <summary>Content stamp in Unix milliseconds: moves only when what is shown changes (the editor's mtime).</summary>
    public required long Mtime { get; init; }

    public required DateTimeOffset? FetchedAt { get; init; }
    public required bool Stale { get; init; }
    public required bool Evicted { get; init; }
    public required bool Pinned { get; init; }
    public required string? OperationId { get; init; }
}

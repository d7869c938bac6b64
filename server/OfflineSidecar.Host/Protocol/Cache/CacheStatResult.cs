using System.Text.Json.Serialization;

namespace OfflineSidecar.Host.Protocol.Cache;

/// <summary><c>kind</c> is <c>file</c> (with its entry, no payload) or <c>directory</c> (a prefix of some document).</summary>
public sealed record CacheStatResult(
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CacheEntryDto? Entry)
{
    public const string File = "file";
    public const string Directory = "directory";
}

using System.Text.Json.Serialization;

namespace OfflineSidecar.Host.Protocol.Serialization;

/// <summary>JSON text passed through untouched (operation payloads): the sidecar stores it, never interprets it.</summary>
[JsonConverter(typeof(RawJsonConverter))]
public readonly record struct RawJson(string Text)
{
    public override string ToString() => Text;
}

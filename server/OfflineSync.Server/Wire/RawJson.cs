using System.Text;
using System.Text.Json.Serialization;

namespace OfflineSync.Server.Wire;

/// <summary>
/// A JSON value kept as its original UTF-8 text: payloads are stored and echoed verbatim, so parsing them into
/// an object model, or transcoding them to UTF-16 strings, on every hop would only cost time.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
internal sealed class RawJson
{
    public RawJson(byte[] utf8) => Utf8 = utf8;

    public RawJson(string text) => Utf8 = Encoding.UTF8.GetBytes(text);

#pragma warning disable CA1819 // The bytes are handed to SQLite and the JSON writer as they are; a copy would defeat the point.
    public byte[] Utf8 { get; }
#pragma warning restore CA1819

    public string Text => Encoding.UTF8.GetString(Utf8);

    public override string ToString() => Text;
}

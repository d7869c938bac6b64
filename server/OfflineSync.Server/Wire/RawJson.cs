using System.Text.Json.Serialization;

namespace OfflineSync.Server.Wire;

/// <summary>
/// A JSON value kept as its original text: payloads are stored and echoed verbatim, so parsing them
/// into an object model on every hop would only cost time.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
internal sealed class RawJson(string text)
{
    public string Text { get; } = text;

    public override string ToString() => Text;
}

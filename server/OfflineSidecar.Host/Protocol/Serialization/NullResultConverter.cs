using System.Text.Json;
using System.Text.Json.Serialization;
using OfflineSidecar.Host.Protocol.Lifecycle;

namespace OfflineSidecar.Host.Protocol.Serialization;

public sealed class NullResultConverter : JsonConverter<NullResult>
{
    public override bool HandleNull => true;

    public override NullResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        reader.Skip();
        return NullResult.Value;
    }

    public override void Write(Utf8JsonWriter writer, NullResult value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNullValue();
    }
}

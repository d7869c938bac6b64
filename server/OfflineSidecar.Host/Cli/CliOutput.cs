using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OfflineSidecar.Host.Cli;

internal static class CliOutput
{
    public static void WriteJson<T>(TextWriter output, T value, JsonTypeInfo<T> type)
    {
        output.WriteLine(JsonSerializer.Serialize(value, type));
    }
}

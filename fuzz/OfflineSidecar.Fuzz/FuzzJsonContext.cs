using System.Text.Json.Serialization;

namespace OfflineSidecar.Fuzz;

[JsonSerializable(typeof(string))]
internal sealed partial class FuzzJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace OfflineSidecar.Core.Transport.Wire;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(CommandsResponseDto))]
[JsonSerializable(typeof(ErrorResponseDto))]
internal sealed partial class SyncWireJsonContext : JsonSerializerContext;

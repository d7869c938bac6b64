using System.Text.Json.Serialization;

namespace OfflineSidecar.Host.Tests.Dispatch;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(EchoParams))]
[JsonSerializable(typeof(EchoResult))]
[JsonSerializable(typeof(WaitParams))]
[JsonSerializable(typeof(NoParams))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Tests.Dispatch;

public sealed record EchoParams
{
    public required string Text { get; init; }

    public int? Repeat { get; init; }

    public EchoOptions? Options { get; init; }
}

public sealed record EchoOptions
{
    public required bool Shout { get; init; }
}

public sealed record EchoResult(string Text);

public sealed record WaitParams
{
    public required string Key { get; init; }
}

public sealed record NoParams;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(EchoParams))]
[JsonSerializable(typeof(EchoResult))]
[JsonSerializable(typeof(WaitParams))]
[JsonSerializable(typeof(NoParams))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

internal static class TestMethods
{
    public static readonly RequestType<EchoParams, EchoResult> Echo =
        new("test/echo", MessageDirection.ClientToServer, () => TestJsonContext.Default.EchoParams, () => TestJsonContext.Default.EchoResult);

    public static readonly RequestType<WaitParams, EchoResult> Wait =
        new("test/wait", MessageDirection.ClientToServer, () => TestJsonContext.Default.WaitParams, () => TestJsonContext.Default.EchoResult);

    public static readonly RequestType<NoParams, EchoResult> Fail =
        new("test/fail", MessageDirection.ClientToServer, () => TestJsonContext.Default.NoParams, () => TestJsonContext.Default.EchoResult);

    public static readonly NotificationType<EchoParams> Note =
        new("test/note", MessageDirection.Both, () => TestJsonContext.Default.EchoParams);

    public static readonly RequestType<EchoParams, EchoResult> AskClient =
        new("test/askClient", MessageDirection.ServerToClient, () => TestJsonContext.Default.EchoParams, () => TestJsonContext.Default.EchoResult);
}

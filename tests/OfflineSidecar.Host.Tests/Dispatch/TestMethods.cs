using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Tests.Dispatch;

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

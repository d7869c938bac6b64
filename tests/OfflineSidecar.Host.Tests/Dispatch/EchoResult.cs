namespace OfflineSidecar.Host.Tests.Dispatch;

public sealed record EchoResult(string Text);

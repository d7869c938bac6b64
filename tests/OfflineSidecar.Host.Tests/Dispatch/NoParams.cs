namespace OfflineSidecar.Host.Tests.Dispatch;

public sealed record NoParams;

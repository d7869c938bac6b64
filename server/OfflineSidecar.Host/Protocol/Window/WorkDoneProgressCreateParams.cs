namespace OfflineSidecar.Host.Protocol.Window;

public sealed record WorkDoneProgressCreateParams(string Token);

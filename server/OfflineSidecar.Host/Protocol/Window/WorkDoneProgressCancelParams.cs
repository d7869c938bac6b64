namespace OfflineSidecar.Host.Protocol.Window;

public sealed record WorkDoneProgressCancelParams(string Token);

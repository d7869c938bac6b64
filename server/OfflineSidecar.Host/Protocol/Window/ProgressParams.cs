namespace OfflineSidecar.Host.Protocol.Window;

public sealed record ProgressParams(string Token, WorkDoneProgressValue Value);

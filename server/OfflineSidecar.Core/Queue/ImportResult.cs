namespace OfflineSidecar.Core.Queue;

public sealed record ImportResult(int Imported, int Skipped);

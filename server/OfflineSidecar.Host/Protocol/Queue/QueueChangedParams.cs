namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record QueueChangedParams(QueueCountsDto Counts);

namespace OfflineSidecar.Host.Protocol.Queue;

public sealed record QueueCountsDto(long Pending, long Syncing, long Failed, long Conflict, long Succeeded);

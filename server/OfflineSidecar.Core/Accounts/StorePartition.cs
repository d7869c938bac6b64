namespace OfflineSidecar.Core.Accounts;

/// <summary>
/// One account's share of the store: its queue and its cache of one workspace on one server. <see cref="Name"/> is what
/// the queue and cache rows are keyed by. <see cref="AccountId"/> is what the server said (GET /sync/whoami); null until
/// it answered, and for work done without a server or without credentials.
/// </summary>
public sealed record StorePartition(string Name, string WorkspaceId, string Server, string? AccountId, DateTimeOffset? UsedAt);

namespace OfflineSync.Server.Commands;

internal static class CommandStatuses
{
    public const string Applied = "applied";
    public const string Duplicate = "duplicate";
    public const string Conflict = "conflict";
    public const string Rejected = "rejected";
    public const string Retry = "retry";
}

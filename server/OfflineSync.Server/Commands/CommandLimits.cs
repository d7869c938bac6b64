namespace OfflineSync.Server.Commands;

/// <summary>Bounds on identifiers, so that one client cannot bloat the indexes with huge keys.</summary>
internal static class CommandLimits
{
    public const int MaxIdempotencyKeyLength = 256;
    public const int MaxEntityIdLength = 512;
    public const int MaxTypeLength = 128;
}

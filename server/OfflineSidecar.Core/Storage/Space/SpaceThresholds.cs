namespace OfflineSidecar.Core.Storage.Space;

/// <summary>
/// When free space counts as low or critical. The warning threshold is the smaller of <see cref="WarningBytes"/> and
/// <see cref="WarningPercent"/> of the file system, so a small disk is not "low" from the start; the critical one is
/// <see cref="CriticalBytes"/>, never more than a tenth of the warning threshold, so there is always a warning stage first.
/// </summary>
public sealed record SpaceThresholds
{
    public const long Megabyte = 1024 * 1024;

    public static readonly SpaceThresholds Default = new();

    public long WarningBytes { get; init; } = 500 * Megabyte;

    public double WarningPercent { get; init; } = 5;

    public long CriticalBytes { get; init; } = 50 * Megabyte;

    public StorageSpace Assess(DiskSpace disk)
    {
        var warning = Math.Min(WarningBytes, (long)(disk.TotalBytes * (WarningPercent / 100)));
        var critical = Math.Min(CriticalBytes, warning / 10);
        var level = disk.FreeBytes < critical ? SpaceLevel.Critical
            : disk.FreeBytes < warning ? SpaceLevel.Low
            : SpaceLevel.Ok;
        return new StorageSpace(disk.FreeBytes, disk.TotalBytes, level, warning, critical);
    }
}

namespace OfflineSidecar.Core.Storage.Space;

/// <summary>
/// The real file system, through <see cref="DriveInfo"/>: on Unix it runs statvfs on the path it is given (any directory
/// of the file system will do), and reports the space available to unprivileged users, which is what SQLite can count on.
/// </summary>
public sealed class DriveFreeSpaceProbe : IFreeSpaceProbe
{
    public DiskSpace Measure(string directory)
    {
        var drive = new DriveInfo(directory);
        return new DiskSpace(drive.AvailableFreeSpace, drive.TotalSize);
    }
}

namespace OfflineSidecar.Core.Storage.Space;

/// <summary>Asks the operating system how much room the file system holding a directory has left.</summary>
public interface IFreeSpaceProbe
{
    /// <summary>Throws <see cref="IOException"/> (or <see cref="UnauthorizedAccessException"/>) when the file system cannot be asked.</summary>
    DiskSpace Measure(string directory);
}

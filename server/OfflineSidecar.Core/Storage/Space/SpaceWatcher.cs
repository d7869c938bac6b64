using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Storage.Space;

/// <summary>
/// Watches the free space of the file system holding the data directory: at start, every <see cref="CheckInterval"/> (a
/// <see cref="TimeProvider"/> timer), after every <see cref="LargeWriteBytes"/> written, and whenever SQLite reported it
/// full. New work asks <see cref="EnsureRoomFor"/> first, which refuses it under the critical threshold, so SQLite does
/// not run out of room in the middle of a transaction. A refusal is never based on an old reading: it measures again.
/// </summary>
public sealed class SpaceWatcher : IDisposable
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(2);

    /// <summary>Writes between two checks that are not otherwise due; statvfs costs microseconds, so this can be small.</summary>
    public const long LargeWriteBytes = SpaceThresholds.Megabyte;

    private readonly IFreeSpaceProbe probe;
    private readonly string directory;
    private readonly Lock gate = new();
    private readonly ITimer timer;
    private SpaceThresholds thresholds;
    private DiskSpace? lastDisk;
    private StorageSpace? current;
    private StorageSpace? lastTold;
    private long writtenSinceCheck;

    public SpaceWatcher(IFreeSpaceProbe probe, string directory, SpaceThresholds thresholds, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(time);
        this.probe = probe;
        this.directory = directory;
        this.thresholds = thresholds;
        Check();
        timer = time.CreateTimer(static state => ((SpaceWatcher)state!).Check(), this, CheckInterval, CheckInterval);
    }

    /// <summary>The latest reading; null while the file system could not be asked.</summary>
    public StorageSpace? Current
    {
        get
        {
            lock (gate)
            {
                return current;
            }
        }
    }

    /// <summary>Raised (on the thread that measured) when the level changes or free space moved by a megabyte or more.</summary>
    public event EventHandler<StorageSpace>? Changed;

    /// <summary>New settings: the last reading is judged again at once.</summary>
    public void UpdateThresholds(SpaceThresholds next)
    {
        ArgumentNullException.ThrowIfNull(next);
        StorageSpace? changed;
        lock (gate)
        {
            thresholds = next;
            changed = lastDisk is { } disk ? Remember(next.Assess(disk)) : null;
        }

        Raise(changed);
    }

    /// <summary>Measures now; returns the reading (the previous one when the file system cannot be asked).</summary>
    public StorageSpace? Check()
    {
        Interlocked.Exchange(ref writtenSinceCheck, 0);
        StorageSpace? changed;
        StorageSpace? reading;
        lock (gate)
        {
            try
            {
                lastDisk = probe.Measure(directory);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // Not knowing is no reason to refuse work: the last reading (if any) stands, SQLite's own errors remain.
                return current;
            }

            changed = Remember(thresholds.Assess(lastDisk.Value));
            reading = current;
        }

        Raise(changed);
        return reading;
    }

    /// <summary>Counts bytes committed; measures again once <see cref="LargeWriteBytes"/> have been written since the last check.</summary>
    public void NoteWritten(long bytes)
    {
        if (bytes > 0 && Interlocked.Add(ref writtenSinceCheck, bytes) >= LargeWriteBytes)
        {
            Check();
        }
    }

    /// <summary>
    /// Refuses (<see cref="QueueErrorKind.LowDiskSpace"/>) work that would leave less than the critical threshold free.
    /// Cheap while the last reading shows room; otherwise it measures again before deciding.
    /// </summary>
    public void EnsureRoomFor(long bytes)
    {
        if (HasRoom(Current, bytes) || HasRoom(Check(), bytes))
        {
            return;
        }

        var reading = Current!;
        throw new QueueException(
            QueueErrorKind.LowDiskSpace,
            $"low disk space: {ByteSize.Format(reading.FreeBytes)} free on the disk of {directory}, under the "
            + $"{ByteSize.Format(reading.CriticalBytes)} kept in reserve; the operation was not queued. Sync, export or discard "
            + "queued operations, or free space on the disk; queued work is kept and still syncs.");
    }

    /// <summary>Runs a write of <paramref name="bytes"/> new bytes of user data: refused under the critical threshold,
    /// counted when it committed, and a SQLite "full" answer measures again so the status says why.</summary>
    public async Task<T> GuardAsync<T>(long bytes, Func<Task<T>> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        EnsureRoomFor(bytes);
        // Called before any await, so writes still reach the store's writer in the order they were asked for.
        var pending = write();
        try
        {
            var result = await pending.ConfigureAwait(false);
            NoteWritten(bytes);
            return result;
        }
        catch (QueueException error) when (error.Kind == QueueErrorKind.StorageFull)
        {
            Check();
            throw;
        }
    }

    public void Dispose() => timer.Dispose();

    private static bool HasRoom(StorageSpace? reading, long bytes) =>
        reading is null || reading.FreeBytes - bytes >= reading.CriticalBytes;

    /// <summary>Under the lock: keeps the reading; returns it when it is worth telling (compared with the last one told,
    /// so slow drift still adds up to a megabyte).</summary>
    private StorageSpace? Remember(StorageSpace next)
    {
        current = next;
        var told = lastTold;
        var worthTelling = told is null
            || told.Level != next.Level
            || Math.Abs(told.FreeBytes - next.FreeBytes) >= SpaceThresholds.Megabyte
            || told.WarningBytes != next.WarningBytes
            || told.CriticalBytes != next.CriticalBytes;
        if (!worthTelling)
        {
            return null;
        }

        lastTold = next;
        return next;
    }

    private void Raise(StorageSpace? changed)
    {
        if (changed is not null)
        {
            Changed?.Invoke(this, changed);
        }
    }
}

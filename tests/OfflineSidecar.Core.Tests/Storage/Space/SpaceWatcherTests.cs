using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage.Space;

namespace OfflineSidecar.Core.Tests.Storage.Space;

public sealed class SpaceWatcherTests
{
    private const long MB = SpaceThresholds.Megabyte;
    private const long GB = 1024 * MB;
    private const string Directory = "/data/offline-sync";

    private readonly IFreeSpaceProbe probe = Substitute.For<IFreeSpaceProbe>();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(100 * GB, 501 * MB, SpaceLevel.Ok)]
    [InlineData(100 * GB, 499 * MB, SpaceLevel.Low)]
    [InlineData(100 * GB, 49 * MB, SpaceLevel.Critical)]
    // On a 2 GB disk 5 % (102.4 MB) is smaller than 500 MB, and a tenth of that (10.24 MB) smaller than 50 MB.
    [InlineData(2 * GB, 103 * MB, SpaceLevel.Ok)]
    [InlineData(2 * GB, 102 * MB, SpaceLevel.Low)]
    [InlineData(2 * GB, 10 * MB, SpaceLevel.Critical)]
    public void The_warning_threshold_is_the_smaller_of_the_megabytes_and_the_percentage_and_critical_at_most_a_tenth_of_it(
        long total, long free, SpaceLevel expected)
    {
        var reading = SpaceThresholds.Default.Assess(new DiskSpace(free, total));

        Assert.Equal(expected, reading.Level);
        Assert.Equal(free, reading.FreeBytes);
        Assert.True(reading.CriticalBytes <= reading.WarningBytes / 10);
    }

    [Fact]
    public void Measures_at_start_and_again_on_its_timer_telling_a_change_of_level_once()
    {
        probe.Measure(Directory).Returns(new DiskSpace(10 * GB, 100 * GB), new DiskSpace(400 * MB, 100 * GB), new DiskSpace(400 * MB, 100 * GB));
        using var watcher = new SpaceWatcher(probe, Directory, SpaceThresholds.Default, time);
        var told = new List<StorageSpace>();
        watcher.Changed += (_, reading) => told.Add(reading);
        Assert.Equal(SpaceLevel.Ok, watcher.Current?.Level);

        time.Advance(SpaceWatcher.CheckInterval - TimeSpan.FromSeconds(1));
        Assert.Empty(told);
        time.Advance(TimeSpan.FromSeconds(1));
        time.Advance(SpaceWatcher.CheckInterval);

        Assert.Equal(3, probe.ReceivedCalls().Count());
        Assert.Equal([SpaceLevel.Low], told.Select(r => r.Level));
        Assert.Equal(400 * MB, watcher.Current?.FreeBytes);
    }

    [Fact]
    public void A_megabyte_written_since_the_last_check_measures_again()
    {
        probe.Measure(Directory).Returns(new DiskSpace(10 * GB, 100 * GB));
        using var watcher = new SpaceWatcher(probe, Directory, SpaceThresholds.Default, time);

        watcher.NoteWritten(SpaceWatcher.LargeWriteBytes / 2);
        probe.Received(1).Measure(Directory);
        watcher.NoteWritten(SpaceWatcher.LargeWriteBytes / 2);
        probe.Received(2).Measure(Directory);
    }

    [Fact]
    public void New_settings_judge_the_last_reading_again_at_once()
    {
        probe.Measure(Directory).Returns(new DiskSpace(10 * GB, 100 * GB));
        using var watcher = new SpaceWatcher(probe, Directory, SpaceThresholds.Default, time);
        var told = new List<StorageSpace>();
        watcher.Changed += (_, reading) => told.Add(reading);

        watcher.UpdateThresholds(new SpaceThresholds { WarningBytes = 1_000 * GB, WarningPercent = 100 });

        Assert.Equal(SpaceLevel.Low, Assert.Single(told).Level);
        probe.Received(1).Measure(Directory);
    }

    [Fact]
    public void A_refusal_measures_again_first_and_names_the_free_space()
    {
        probe.Measure(Directory).Returns(new DiskSpace(10 * GB, 100 * GB));
        using var watcher = new SpaceWatcher(probe, Directory, SpaceThresholds.Default, time);
        watcher.EnsureRoomFor(1 * MB);

        // Another program filled the disk since the last check: small writes still fit the reading on record and go
        // through without a look; one that does not fit makes the watcher measure before it refuses.
        probe.Measure(Directory).Returns(new DiskSpace(60 * MB, 100 * GB));
        watcher.EnsureRoomFor(1 * MB);
        var refusal = Assert.Throws<QueueException>(() => watcher.EnsureRoomFor(20 * GB));

        Assert.Equal(QueueErrorKind.LowDiskSpace, refusal.Kind);
        Assert.Contains("60 MB free", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("50 MB kept in reserve", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(SpaceLevel.Low, watcher.Current?.Level);
    }

    [Fact]
    public void Under_the_critical_threshold_everything_new_is_refused_until_space_returns()
    {
        probe.Measure(Directory).Returns(new DiskSpace(10 * MB, 100 * GB));
        using var watcher = new SpaceWatcher(probe, Directory, SpaceThresholds.Default, time);

        Assert.Equal(SpaceLevel.Critical, watcher.Current?.Level);
        Assert.Equal(QueueErrorKind.LowDiskSpace, Assert.Throws<QueueException>(() => watcher.EnsureRoomFor(0)).Kind);

        probe.Measure(Directory).Returns(new DiskSpace(2 * GB, 100 * GB));
        watcher.EnsureRoomFor(1 * MB);
        Assert.Equal(SpaceLevel.Ok, watcher.Current?.Level);
    }

    [Fact]
    public void A_file_system_that_cannot_be_asked_refuses_nothing()
    {
        probe.Measure(Directory).Throws(new IOException("no such device"));
        using var watcher = new SpaceWatcher(probe, Directory, SpaceThresholds.Default, time);

        Assert.Null(watcher.Current);
        watcher.EnsureRoomFor(1 * GB);
    }

    [Fact]
    public void The_real_probe_reads_the_file_system_of_any_directory_on_it()
    {
        var temp = Path.Combine(Path.GetTempPath(), "space-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(temp);
        try
        {
            var disk = new DriveFreeSpaceProbe().Measure(temp);

            Assert.InRange(disk.FreeBytes, 1, disk.TotalBytes);
        }
        finally
        {
            System.IO.Directory.Delete(temp);
        }
    }

    [Fact]
    public void Disposing_stops_the_timer()
    {
        probe.Measure(Directory).Returns(new DiskSpace(10 * GB, 100 * GB));
        var watcher = new SpaceWatcher(probe, Directory, SpaceThresholds.Default, time);
        time.Advance(SpaceWatcher.CheckInterval);
        probe.Received(2).Measure(Directory);

        watcher.Dispose();
        probe.ClearReceivedCalls();
        time.Advance(SpaceWatcher.CheckInterval * 3);

        probe.DidNotReceive().Measure(Directory);
    }
}

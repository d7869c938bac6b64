using System.Text.Json;
using OfflineSidecar.Host.Tests.Support;

namespace OfflineSidecar.Host.Tests.Serve;

/// <summary>The free space of the real file system under the sidecar's data directory, judged by the settings in force.</summary>
public sealed class StorageStatusTests
{
    [Fact]
    public async Task Get_status_reports_the_free_space_and_thresholds_that_say_the_disk_is_low_push_a_status_at_once()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync();
        var disk = new DriveInfo(sidecar.Data.Path);

        JsonElement storage = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/getStatus")).GetProperty("storage");
        Assert.InRange(storage.GetProperty("freeBytes").GetInt64(), 1, disk.TotalSize);
        Assert.Equal(Math.Min(500L * 1024 * 1024, disk.TotalSize / 20), storage.GetProperty("warningBytes").GetInt64());

        // Any disk is "low" when the warning threshold is all of it; the critical one stays at its default.
        await sidecar.NotifyAsync(
            "workspace/didChangeConfiguration",
            "{\"settings\":{\"offlineSync\":{\"lowSpaceWarningMB\":1048576,\"lowSpaceWarningPercent\":100,\"criticalSpaceMB\":1}}}");
        JsonElement pushed = (await sidecar.Peer.ReadNotificationAsync("offlineSync/statusChanged")).GetProperty("params").GetProperty("storage");

        Assert.Equal("low", pushed.GetProperty("level").GetString());
        Assert.Equal(1024 * 1024, pushed.GetProperty("criticalBytes").GetInt64());
        Assert.Equal("low", JsonAssert.Result(await sidecar.RequestAsync("offlineSync/getStatus")).GetProperty("storage").GetProperty("level").GetString());
    }

    [Fact]
    public async Task A_threshold_out_of_range_is_refused_and_the_settings_in_force_stay()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync();

        await sidecar.NotifyAsync("workspace/didChangeConfiguration", "{\"settings\":{\"offlineSync\":{\"lowSpaceWarningPercent\":0}}}");
        JsonElement refused = await sidecar.Peer.ReadNotificationAsync("window/logMessage");

        Assert.Contains("lowSpaceWarningPercent", refused.GetProperty("params").GetProperty("message").GetString(), StringComparison.Ordinal);
        // 0 % accepted would make the warning threshold 0 bytes; the one in force is still the default.
        long total = new DriveInfo(sidecar.Data.Path).TotalSize;
        JsonElement storage = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/getStatus")).GetProperty("storage");
        Assert.Equal(Math.Min(500L * 1024 * 1024, total / 20), storage.GetProperty("warningBytes").GetInt64());
    }
}

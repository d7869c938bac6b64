using System.Diagnostics;
using System.Globalization;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

/// <summary>A lease held by a process of this machine that is gone (kill -9) is taken at once, not at its expiry.</summary>
public sealed class LeaseTakeoverTests : StoreTestBase
{
    [Fact]
    public async Task A_lease_whose_holder_process_has_ended_is_taken_at_once()
    {
        var now = Clock.GetUtcNow();
        var dead = await EndedProcessIdAsync();
        var ended = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{dead}:a");
        Assert.True(await Queue.TryAcquireLeaseAsync(ended, TimeSpan.FromSeconds(10), now));

        Assert.True(await Queue.TryAcquireLeaseAsync("successor", TimeSpan.FromSeconds(10), now.AddSeconds(1)));
    }

    [Fact]
    public async Task A_lease_of_a_running_process_or_another_machine_or_this_process_waits_for_its_expiry()
    {
        var now = Clock.GetUtcNow();
        var ended = await EndedProcessIdAsync();
        using var running = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            foreach (var holder in new[]
                     {
                         string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{running.Id}:a"),
                         string.Create(CultureInfo.InvariantCulture, $"another-machine:{ended}:a"),
                         string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:a"),
                     })
            {
                await Queue.ReleaseLeaseAsync("successor");
                Assert.True(await Queue.TryAcquireLeaseAsync(holder, TimeSpan.FromSeconds(10), now));
                Assert.False(await Queue.TryAcquireLeaseAsync("successor", TimeSpan.FromSeconds(10), now.AddSeconds(1)), holder);
                Assert.True(await Queue.TryAcquireLeaseAsync("successor", TimeSpan.FromSeconds(10), now.AddSeconds(11)), holder);
            }
        }
        finally
        {
            running.Kill();
        }
    }

    private static async Task<int> EndedProcessIdAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        return process.Id;
    }
}

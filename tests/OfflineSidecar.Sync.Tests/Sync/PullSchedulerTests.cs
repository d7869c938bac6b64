using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Pull;

namespace OfflineSidecar.Sync.Tests.Sync;

public sealed class PullSchedulerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_cancelled_pull_answers_only_those_who_asked_before_it_began_and_the_later_ask_gets_a_pull_of_its_own()
    {
        var schedule = new PullScheduler();
        var before = schedule.RequestAndWaitAsync(CancellationToken.None);
        schedule.Begin(CancellationToken.None);
        schedule.Cancel();
        // Asked while the cancelled pull was still stopping (its progress already said "ended").
        var during = schedule.RequestAndWaitAsync(CancellationToken.None);

        schedule.End(new PullOutcome(new PullResult(40, "40", false), PullStop.Cancelled), Now, TimeSpan.FromMinutes(5));

        Assert.False((await before).Complete);
        Assert.False(during.IsCompleted);
        Assert.True(schedule.IsDue(Now));

        schedule.Begin(CancellationToken.None);
        schedule.End(new PullOutcome(new PullResult(60, "100", true), PullStop.Complete), Now, TimeSpan.FromMinutes(5));
        Assert.Equal(new PullResult(60, "100", true), await during);
    }

    [Fact]
    public async Task A_pull_that_reads_to_the_end_answers_everyone_waiting_even_who_asked_while_it_ran()
    {
        var schedule = new PullScheduler();
        schedule.Begin(CancellationToken.None);
        var during = schedule.RequestAndWaitAsync(CancellationToken.None);

        schedule.End(new PullOutcome(new PullResult(3, "3", true), PullStop.Complete), Now, TimeSpan.FromMinutes(5));

        Assert.True((await during).Complete);
        Assert.False(schedule.HasWaiters);
    }
}

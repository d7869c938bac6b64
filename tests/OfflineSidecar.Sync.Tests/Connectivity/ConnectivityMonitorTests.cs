using Microsoft.Extensions.Time.Testing;
using OfflineSidecar.Core.Connectivity;
using OfflineSidecar.Sync.Tests.Support;
using ConnectivityState = OfflineSidecar.Core.Sync.Connectivity;

namespace OfflineSidecar.Sync.Tests.Connectivity;

public sealed class ConnectivityMonitorTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    private readonly ConnectivityMonitor monitor;

    public ConnectivityMonitorTests()
    {
        monitor = new ConnectivityMonitor(time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        monitor.SetServer(configured: true);
    }

    [Fact]
    public void StartsUnreachableWithAProbeDueNow()
    {
        Assert.Equal(ConnectivityState.Unreachable, monitor.Current);
        Assert.False(monitor.CanSend);
        Assert.Equal(time.GetUtcNow(), monitor.NextProbeAt);
    }

    [Fact]
    public void FailedProbesBackOffFromProbeMinDoublingToProbeMax()
    {
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            monitor.ProbeFailed();
            delays.Add(monitor.NextProbeAt!.Value - time.GetUtcNow());
            time.Advance(delays[^1]);
        }

        Assert.Equal(new[] { 1, 2, 4, 8, 16, 30, 30, 30 }.Select(s => TimeSpan.FromSeconds(s)), delays);
    }

    [Fact]
    public void RevokedAccessStopsSendingAndKeepsProbingWithBackoffUntilRestored()
    {
        monitor.ProbeSucceeded();

        Assert.True(monitor.AccessRevoked());
        Assert.False(monitor.AccessRevoked(), "already revoked: not news");
        Assert.Equal(ConnectivityState.AccessRevoked, monitor.Current);
        Assert.False(monitor.CanSend);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(2), monitor.NextProbeAt);

        monitor.AuthFailed();
        Assert.Equal(ConnectivityState.AuthRequired, monitor.Current);
        monitor.ClearAuthRequired();
        monitor.AccessRestored();

        Assert.Equal(ConnectivityState.Online, monitor.Current);
        Assert.True(monitor.CanSend);
        Assert.Null(monitor.NextProbeAt);
    }

    [Fact]
    public void ProbeSuccessGoesOnlineAndStopsProbing()
    {
        monitor.ProbeFailed();
        monitor.ProbeSucceeded();

        Assert.Equal(ConnectivityState.Online, monitor.Current);
        Assert.True(monitor.CanSend);
        Assert.Null(monitor.NextProbeAt);
    }

    [Fact]
    public void AFailedRequestFlipsToUnreachableAtOnceAndProbesAfterProbeMin()
    {
        monitor.ProbeSucceeded();
        monitor.RequestFailed();

        Assert.Equal(ConnectivityState.Unreachable, monitor.Current);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(1), monitor.NextProbeAt);
    }

    [Fact]
    public void ANetworkChangeProbesImmediatelyAndRestartsTheBackoff()
    {
        for (var i = 0; i < 5; i++)
        {
            monitor.ProbeFailed();
        }

        monitor.NetworkChanged();
        Assert.Equal(time.GetUtcNow(), monitor.NextProbeAt);
        monitor.ProbeFailed();
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(1), monitor.NextProbeAt);
    }

    [Fact]
    public void NoNetworkIsOfflineAndDoesNotProbe()
    {
        monitor.SetNetworkAvailable(false);

        Assert.Equal(ConnectivityState.Offline, monitor.Current);
        Assert.Null(monitor.NextProbeAt);

        monitor.SetNetworkAvailable(true);
        Assert.Equal(ConnectivityState.Unreachable, monitor.Current);
        Assert.Equal(time.GetUtcNow(), monitor.NextProbeAt);
    }

    [Fact]
    public void WorkingOfflineWinsOverEverythingAndSendsNothing()
    {
        monitor.ProbeSucceeded();
        monitor.AuthFailed();
        monitor.SetWorkOffline(true);

        Assert.Equal(ConnectivityState.WorkingOffline, monitor.Current);
        Assert.False(monitor.CanSend);
        Assert.Null(monitor.NextProbeAt);

        monitor.SetWorkOffline(false);
        Assert.Equal(ConnectivityState.AuthRequired, monitor.Current);
    }

    [Fact]
    public void AuthRequiredHoldsUntilCleared()
    {
        monitor.ProbeSucceeded();
        monitor.AuthFailed();

        Assert.Equal(ConnectivityState.AuthRequired, monitor.Current);
        Assert.False(monitor.CanSend);

        monitor.ClearAuthRequired();
        Assert.Equal(ConnectivityState.Online, monitor.Current);
        Assert.True(monitor.CanSend);
    }

    [Fact]
    public void NoServerIsOfflineAndNeverProbes()
    {
        monitor.SetServer(configured: false);

        Assert.Equal(ConnectivityState.Offline, monitor.Current);
        Assert.Null(monitor.NextProbeAt);
    }
}

using System.Diagnostics;

namespace OfflineSidecar.Host.Serve.Lifecycle;

/// <summary>
/// Polls the client's process (LSP <c>processId</c>) so an editor that crashed without closing our stdin
/// does not leave the sidecar behind. A timer is enough: a second of lag costs nothing here.
/// </summary>
internal sealed class ParentProcessWatcher : IDisposable
{
    private readonly int _processId;
    private readonly Action _onExited;
    private readonly ITimer _timer;
    private int _fired;

    public ParentProcessWatcher(int processId, TimeSpan interval, TimeProvider time, Action onExited)
    {
        _processId = processId;
        _onExited = onExited;
        _timer = time.CreateTimer(static state => ((ParentProcessWatcher)state!).Check(), this, interval, interval);
    }

    public static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private void Check()
    {
        if (!IsAlive(_processId) && Interlocked.Exchange(ref _fired, 1) == 0)
        {
            _timer.Dispose();
            _onExited();
        }
    }

    public void Dispose() => _timer.Dispose();
}

using System.Diagnostics;

namespace OfflineSidecar.Host.Serve.Lifecycle;

/// <summary>
/// Polls the client's process (LSP <c>processId</c>) so an editor that crashed without closing our stdin
/// does not leave the sidecar behind. A timer is enough: a second of lag costs nothing here.
/// </summary>
internal sealed class ParentProcessWatcher : IDisposable
{
    private readonly int processId;
    private readonly Action onExited;
    private readonly ITimer timer;
    private int fired;

    public ParentProcessWatcher(int processId, TimeSpan interval, TimeProvider time, Action onExited)
    {
        this.processId = processId;
        this.onExited = onExited;
        this.timer = time.CreateTimer(static state => ((ParentProcessWatcher)state!).Check(), this, interval, interval);
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
        if (!IsAlive(this.processId) && Interlocked.Exchange(ref fired, 1) == 0)
        {
            this.timer.Dispose();
            this.onExited();
        }
    }

    public void Dispose() => this.timer.Dispose();
}

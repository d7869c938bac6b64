namespace OfflineSidecar.Core.Queue;

/// <summary>
/// The queue of a workspace changed. <see cref="Counts"/> is read from the store when first asked for, and only while
/// the event is being raised (on the writer, right after the commit): a subscriber that merely schedules a refresh
/// costs no count query per commit.
/// </summary>
public sealed class QueueChangedEventArgs : EventArgs
{
    private readonly Func<QueueCounts>? read;
    private QueueCounts? counts;

    public QueueChangedEventArgs(QueueCounts counts) => this.counts = counts;

    internal QueueChangedEventArgs(Func<QueueCounts> read) => this.read = read;

    /// <summary>The counts right after the commit. Read it inside the handler, not later.</summary>
    public QueueCounts Counts => counts ??= read!();
}

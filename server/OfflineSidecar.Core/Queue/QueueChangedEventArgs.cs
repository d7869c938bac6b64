namespace OfflineSidecar.Core.Queue;

public sealed class QueueChangedEventArgs(QueueCounts counts) : EventArgs
{
    public QueueCounts Counts { get; } = counts;
}

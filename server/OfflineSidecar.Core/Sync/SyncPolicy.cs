using OfflineSidecar.Core.Sync.Flush;

namespace OfflineSidecar.Core.Sync;

/// <summary>The option-derived helpers of the engine, swapped as one so the loop never sees half an update.</summary>
internal sealed class SyncPolicy
{
    public SyncPolicy(SyncOptions options, IRandomSource random)
    {
        Schedule = new RetrySchedule(options.BackoffBase, options.BackoffCap, random);
        Classifier = new OutcomeClassifier(options.MaxAttempts, Schedule);
    }

    public RetrySchedule Schedule { get; }

    public OutcomeClassifier Classifier { get; }
}

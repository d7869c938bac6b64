using OfflineSidecar.Core.Sync;

namespace OfflineSidecar.Sync.Tests.Support;

internal sealed class FixedRandom(double value) : IRandomSource
{
    public double Value { get; set; } = value;

    public double NextDouble() => Value;
}

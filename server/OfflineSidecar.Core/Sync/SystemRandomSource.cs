namespace OfflineSidecar.Core.Sync;

public sealed class SystemRandomSource : IRandomSource
{
    public static readonly SystemRandomSource Instance = new();

    private SystemRandomSource() { }

#pragma warning disable CA5394 // Jitter spreads retries; it guards nothing, so a predictable generator is fine.
    public double NextDouble() => Random.Shared.NextDouble();
#pragma warning restore CA5394
}

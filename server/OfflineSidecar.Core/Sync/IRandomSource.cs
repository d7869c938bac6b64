namespace OfflineSidecar.Core.Sync;

/// <summary>Jitter's source of randomness, injectable so backoff is reproducible in tests.</summary>
public interface IRandomSource
{
    /// <summary>A value in [0, 1).</summary>
    double NextDouble();
}

using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Faults;

/// <summary>
/// The fault settings in force and the one seeded random source every fault decision draws from, so that a
/// run with the same seed and the same request sequence injects the same faults.
/// </summary>
internal sealed class FaultState(FaultSettings startup, int seed)
{
    private readonly Lock randomGate = new();
    private readonly Random random = new(seed);
    private FaultSettings current = startup;

    public FaultSettings Startup { get; } = startup;

    public FaultSettings Current => Volatile.Read(ref current);

    public void Replace(FaultSettings settings) => Volatile.Write(ref current, settings);

    public void Reset() => Replace(Startup);

    /// <summary>True with probability <paramref name="rate"/>. Rates of 0 and 1 do not draw, so switching a
    /// fault fully on or off leaves the random sequence of the others untouched.</summary>
    public bool Roll(double rate)
    {
        if (rate <= 0)
        {
            return false;
        }

        if (rate >= 1)
        {
            return true;
        }

        lock (randomGate)
        {
            // Seeded System.Random is wanted here: reproducibility, not unpredictability.
#pragma warning disable CA5394
            return random.NextDouble() < rate;
#pragma warning restore CA5394
        }
    }
}

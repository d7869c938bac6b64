using Microsoft.Extensions.Time.Testing;

namespace OfflineSidecar.Testing;

/// <summary>
/// Shared by the test projects (linked, not a project of its own). FakeTimeProvider (timers fire in due order inside <see cref="FakeTimeProvider.Advance(TimeSpan)"/>) plus the one thing
/// it cannot do: set the wall clock without time passing, as a user or NTP does. FakeTimeProvider moves both clocks
/// together and refuses to go back (SetUtcNow throws), so <see cref="SetWallClockBy"/> shifts only what
/// <see cref="GetUtcNow"/> says; timestamps and timers run on undisturbed, as the monotonic clock does.
/// </summary>
internal sealed class SettableWallClock : FakeTimeProvider
{
    private long wallShiftTicks;

    public SettableWallClock() : this(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero)) { }

    public SettableWallClock(DateTimeOffset start) : base(start) { }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref wallShiftTicks));

    // FakeTimeProvider derives its timestamp from GetUtcNow; the monotonic clock must not see the shift.
    public override long GetTimestamp() => base.GetUtcNow().UtcTicks;

    /// <summary>The wall clock is set forward (or, negative, back) by <paramref name="by"/>; no time passes.</summary>
    public void SetWallClockBy(TimeSpan by) => Interlocked.Add(ref wallShiftTicks, by.Ticks);
}

using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Tests.TestSupport;
using OfflineSidecar.Testing;

namespace OfflineSidecar.Core.Tests.Operations;

public sealed class UlidGeneratorTests
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    [Fact]
    public void Ids_within_one_millisecond_strictly_increase()
    {
        var generator = new UlidGenerator(new SettableWallClock());

        var ids = Enumerable.Range(0, 10_000).Select(_ => generator.Next()).ToList();

        Assert.All(ids, id => Assert.Equal(26, id.Length));
        Assert.All(ids, id => Assert.All(id, c => Assert.Contains(c, Crockford)));
        for (var i = 1; i < ids.Count; i++)
        {
            Assert.True(string.CompareOrdinal(ids[i - 1], ids[i]) < 0, $"{ids[i - 1]} !< {ids[i]}");
        }
    }

    [Fact]
    public void Later_time_sorts_later_and_a_clock_step_back_keeps_order()
    {
        var clock = new SettableWallClock();
        var generator = new UlidGenerator(clock);

        var first = generator.Next();
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var second = generator.Next();
        clock.SetWallClockBy(TimeSpan.FromSeconds(-10));
        var third = generator.Next();

        Assert.True(string.CompareOrdinal(first, second) < 0);
        Assert.True(string.CompareOrdinal(second, third) < 0);
        Assert.Equal(second[..10], third[..10]);
    }

    [Fact]
    public void Time_part_encodes_the_milliseconds()
    {
        var clock = new SettableWallClock(DateTimeOffset.FromUnixTimeMilliseconds(1_469_918_176_385));

        var id = new UlidGenerator(clock).Next();

        // The ULID spec's example timestamp.
        Assert.Equal("01ARYZ6S41", id[..10]);
    }

    [Fact]
    public void Two_generators_draw_different_random_parts()
    {
        var clock = new SettableWallClock();

        Assert.NotEqual(new UlidGenerator(clock).Next(), new UlidGenerator(clock).Next());
    }
}

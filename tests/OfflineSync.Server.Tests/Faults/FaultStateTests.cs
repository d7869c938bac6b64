using OfflineSync.Server.Faults;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Tests.Faults;

public sealed class FaultStateTests
{
    [Fact]
    public void Rates_of_zero_and_one_are_certain_and_do_not_shift_the_seeded_sequence()
    {
        var plain = new FaultState(new FaultSettings(), seed: 7);
        var interleaved = new FaultState(new FaultSettings(), seed: 7);

        var expected = Enumerable.Range(0, 50).Select(_ => plain.Roll(0.3)).ToList();
        var actual = new List<bool>();
        for (var i = 0; i < 50; i++)
        {
            Assert.False(interleaved.Roll(0));
            Assert.True(interleaved.Roll(1));
            actual.Add(interleaved.Roll(0.3));
        }

        Assert.Equal(expected, actual);
        Assert.Contains(true, actual);
        Assert.Contains(false, actual);
    }
}

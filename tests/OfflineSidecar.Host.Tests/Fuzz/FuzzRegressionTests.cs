using OfflineSidecar.Fuzz;
using OfflineSidecar.Host.Tests.Support;

namespace OfflineSidecar.Host.Tests.Fuzz;

/// <summary>
/// The fuzz harness's verdict, in the test suite: every input the fuzzers ever turned up (fuzz/findings, kept with its
/// bytes once fixed), every seed of the corpus, and a fixed-seed run of the mutator all go through the real sidecar
/// session (framing, dispatch, params binding, handlers, store) and must be answered without a fault.
/// </summary>
public sealed class FuzzRegressionTests : IDisposable
{
    private readonly TempDirectory data = new();

    public void Dispose() => data.Dispose();

    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "fuzz/findings", "fuzz/corpus" })
        {
            foreach (var file in Directory.GetFiles(RepositoryFiles.Path(folder), "*.bin").Order(StringComparer.Ordinal))
            {
                data.Add($"{folder}/{Path.GetFileName(file)}");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void A_recorded_input_is_handled_without_a_fault(string input)
    {
        Assert.Null(SidecarFuzzTarget.Run(File.ReadAllBytes(RepositoryFiles.Path(input)), data.Path));
    }

    [Fact]
    public void A_fixed_seed_run_of_the_mutator_finds_nothing()
    {
        var corpus = Directory.GetFiles(RepositoryFiles.Path("fuzz/corpus"), "*.bin").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        var mutator = new FrameMutator(seed: 20261207);
        for (var run = 0; run < 1500; run++)
        {
            var input = mutator.Mutate(corpus);
            var finding = SidecarFuzzTarget.Run(input, data.Path);
            Assert.True(finding is null, $"run {run}: {finding}\ninput (base64): {Convert.ToBase64String(input)}");
        }
    }
}

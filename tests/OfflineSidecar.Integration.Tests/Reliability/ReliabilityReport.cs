using System.Globalization;
using System.Text;
using OfflineSidecar.Integration.Tests.Support;
using Xunit.Abstractions;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>The figures of one run: printed to the test output and written to test-results/reliability/&lt;run&gt;.md.</summary>
internal sealed class ReliabilityReport(string run, ITestOutputHelper output)
{
    private readonly StringBuilder text = new();

    public void Figure(string name, object value) => Line(string.Create(CultureInfo.InvariantCulture, $"| {name} | {value} |"));

    public void Line(string line)
    {
        output.WriteLine(line);
        text.AppendLine(line);
    }

    public void Save()
    {
        var directory = Path.Combine(RepoPaths.Root, "test-results", "reliability");
        Directory.CreateDirectory(directory);
        File.WriteAllText(
            Path.Combine(directory, run + ".md"),
            string.Create(CultureInfo.InvariantCulture, $"# {run} ({DateTime.UtcNow:u}, {Environment.ProcessorCount} cores)\n\n| figure | value |\n| --- | --- |\n{text}"));
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OfflineSidecar.Bench.Infra;

/// <summary>
/// Collects the rows of one scenario, prints them as they come, and writes test-results/bench/&lt;scenario&gt;.json.
/// <see cref="WriteSummary"/> then rebuilds latest.json / latest.md from every scenario file present, so running one
/// scenario refreshes its section and keeps the others.
/// </summary>
internal sealed class ResultSink(string scenario)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly List<ResultRow> rows = [];
    private readonly List<string> notes = [];

    public string Scenario { get; } = scenario;

    public void Add(string metric, double value, string unit, string? target = null, bool? met = null, string? note = null)
    {
        var row = new ResultRow(Scenario, metric, Math.Round(value, 3), unit, target, met, MachineLoad.OneMinute(), note);
        rows.Add(row);
        Console.WriteLine($"  {metric,-58} {Format(row.Value),12} {unit,-6} {Verdict(row),-14} load {row.Load:0.00}{(note is null ? "" : "  " + note)}");
    }

    public void Note(string text)
    {
        notes.Add(text);
        Console.WriteLine($"  note: {text}");
    }

    public void Save()
    {
        Directory.CreateDirectory(BenchPaths.ResultsDirectory);
        var document = new ScenarioFile(Scenario, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), Environment.MachineName, rows, notes);
        File.WriteAllText(Path.Combine(BenchPaths.ResultsDirectory, Scenario + ".json"), JsonSerializer.Serialize(document, Indented));
    }

    public static string WriteSummary(IReadOnlyList<string> order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var files = new List<ScenarioFile>();
        foreach (var name in order)
        {
            var path = Path.Combine(BenchPaths.ResultsDirectory, name + ".json");
            if (File.Exists(path) && JsonSerializer.Deserialize<ScenarioFile>(File.ReadAllText(path)) is { } file)
            {
                files.Add(file);
            }
        }

        File.WriteAllText(Path.Combine(BenchPaths.ResultsDirectory, "latest.json"), JsonSerializer.Serialize(files, Indented));
        var markdown = new StringBuilder();
        markdown.AppendLine("| scenario | metric | value | unit | target | met | load (1 min) |");
        markdown.AppendLine("| --- | --- | ---: | --- | --- | --- | ---: |");
        foreach (var file in files)
        {
            foreach (var row in file.Rows)
            {
                markdown.AppendLine(CultureInfo.InvariantCulture,
                    $"| {row.Scenario} | {row.Metric}{(row.Note is null ? "" : $" ({row.Note})")} | {Format(row.Value)} | {row.Unit} | {row.Target ?? ""} | {Verdict(row)} | {row.Load:0.00} |");
            }
        }

        foreach (var file in files)
        {
            foreach (var note in file.Notes)
            {
                markdown.AppendLine(CultureInfo.InvariantCulture, $"\n- {file.Scenario} ({file.RecordedAt}): {note}");
            }
        }

        var text = markdown.ToString();
        File.WriteAllText(Path.Combine(BenchPaths.ResultsDirectory, "latest.md"), text);
        return text;
    }

    private static string Verdict(ResultRow row) => row.Met switch
    {
        true => "met",
        false => "**MISSED**",
        null => "",
    };

    private static string Format(double value) =>
        Math.Abs(value) >= 1000 ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 10 ? value.ToString("0.0", CultureInfo.InvariantCulture)
        : value.ToString("0.000", CultureInfo.InvariantCulture);
}

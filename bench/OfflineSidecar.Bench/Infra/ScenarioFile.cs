namespace OfflineSidecar.Bench.Infra;

/// <summary>What one scenario run leaves in test-results/bench/&lt;scenario&gt;.json.</summary>
internal sealed record ScenarioFile(string Scenario, string RecordedAt, string Machine, IReadOnlyList<ResultRow> Rows, IReadOnlyList<string> Notes);

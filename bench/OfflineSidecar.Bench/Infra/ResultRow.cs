namespace OfflineSidecar.Bench.Infra;

/// <summary>One measured figure. Target is text ("&lt; 10 ms", "≥ 20000") and Met is null when there is no target.</summary>
internal sealed record ResultRow(string Scenario, string Metric, double Value, string Unit, string? Target, bool? Met, double Load, string? Note);

using System.Text.Json.Serialization;

namespace OfflineSync.Server.Wire;

/// <summary>Fault injection in force; rates are probabilities in [0, 1] drawn per request (per command for
/// <see cref="PerCommandRetryRate"/>).</summary>
internal sealed record FaultSettings
{
    public double FailRate { get; init; }
    public int LatencyMs { get; init; }
    public double DropAfterApplyRate { get; init; }
    public double Status429Rate { get; init; }
    public int RetryAfterSeconds { get; init; } = 1;
    public bool Unavailable { get; init; }
    public bool Forbidden { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? RequireToken { get; init; }

    public double PerCommandRetryRate { get; init; }

    /// <summary>How far the server pretends its clock is off: added to every time it reports (health's and a batch
    /// answer's <c>serverTime</c>, the <c>Date</c> header), never to what it stores.</summary>
    public long ClockOffsetMs { get; init; }
}

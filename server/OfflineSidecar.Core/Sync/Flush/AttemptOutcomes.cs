namespace OfflineSidecar.Core.Sync.Flush;

/// <summary>The attempt-history words of <see cref="OperationOutcome.AttemptOutcome"/> (protocol AttemptRecord.outcome).</summary>
public static class AttemptOutcomes
{
    public const string Applied = "applied";
    public const string Duplicate = "duplicate";
    public const string Conflict = "conflict";
    public const string Rejected = "rejected";
    public const string Retry = "retry";
    public const string Error = "error";

    /// <summary>A conflict merged three ways without overlap: pending again with the merged content, on the server's version.</summary>
    public const string Merged = "merged";
}

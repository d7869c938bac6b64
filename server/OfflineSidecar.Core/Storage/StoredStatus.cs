namespace OfflineSidecar.Core.Storage;

/// <summary>
/// How SQL text spells each <see cref="Operations.OperationStatus"/>: inlined literals (not parameters) so SQLite can
/// match the partial indexes written with the same numbers. StoredEnumTests fails if one drifts from the enum.
/// </summary>
internal static class StoredStatus
{
    public const string Pending = "0";
    public const string Syncing = "1";
    public const string Succeeded = "2";
    public const string Failed = "3";
    public const string Conflict = "4";

    /// <summary>Every status but succeeded: the operation is still the user's unfinished work.</summary>
    public const string NotSucceeded = Pending + ", " + Syncing + ", " + Failed + ", " + Conflict;
}

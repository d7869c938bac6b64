namespace OfflineSidecar.Core.Storage;

/// <summary>How SQL text spells each <see cref="Operations.OperationPriority"/>. StoredEnumTests fails if one drifts from the enum.</summary>
internal static class StoredPriority
{
    public const string High = "0";
    public const string Low = "2";
}

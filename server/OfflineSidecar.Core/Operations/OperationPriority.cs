namespace OfflineSidecar.Core.Operations;

/// <summary>
/// Orders work across entities; never reorders operations of one entity. The numbers are stored in SQLite rows and
/// in list cursors: they never change, and SQL spells them through <see cref="Storage.StoredPriority"/>.
/// </summary>
public enum OperationPriority
{
    High = 0,
    Normal = 1,
    Low = 2,
}

namespace OfflineSidecar.Core.Operations;

/// <summary>Orders work across entities; never reorders operations of one entity.</summary>
public enum OperationPriority
{
    High = 0,
    Normal = 1,
    Low = 2,
}

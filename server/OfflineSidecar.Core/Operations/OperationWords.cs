namespace OfflineSidecar.Core.Operations;

/// <summary>The lower camel-case wire words of statuses and priorities (protocol and export file).</summary>
public static class OperationWords
{
    public static string Of(OperationStatus status) => status switch
    {
        OperationStatus.Pending => "pending",
        OperationStatus.Syncing => "syncing",
        OperationStatus.Succeeded => "succeeded",
        OperationStatus.Failed => "failed",
        OperationStatus.Conflict => "conflict",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string Of(OperationPriority priority) => priority switch
    {
        OperationPriority.High => "high",
        OperationPriority.Normal => "normal",
        OperationPriority.Low => "low",
        _ => throw new ArgumentOutOfRangeException(nameof(priority), priority, null),
    };

    public static bool TryParseStatus(string? word, out OperationStatus status)
    {
        (var ok, status) = word switch
        {
            "pending" => (true, OperationStatus.Pending),
            "syncing" => (true, OperationStatus.Syncing),
            "succeeded" => (true, OperationStatus.Succeeded),
            "failed" => (true, OperationStatus.Failed),
            "conflict" => (true, OperationStatus.Conflict),
            _ => (false, OperationStatus.Pending),
        };
        return ok;
    }

    public static bool TryParsePriority(string? word, out OperationPriority priority)
    {
        (var ok, priority) = word switch
        {
            "high" => (true, OperationPriority.High),
            "normal" => (true, OperationPriority.Normal),
            "low" => (true, OperationPriority.Low),
            _ => (false, OperationPriority.Normal),
        };
        return ok;
    }
}

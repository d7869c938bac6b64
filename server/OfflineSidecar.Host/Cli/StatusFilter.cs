using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Host.Cli;

/// <summary>Parses <c>--status failed --status conflict</c> or <c>--status failed,conflict</c>.</summary>
internal static class StatusFilter
{
    public static IReadOnlyList<OperationStatus>? Parse(string[]? values)
    {
        if (values is null || values.Length == 0)
        {
            return null;
        }

        var statuses = new List<OperationStatus>();
        foreach (string word in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Enum.TryParse(word, ignoreCase: true, out OperationStatus status) || !Enum.IsDefined(status) || int.TryParse(word, out _))
            {
                throw new UsageException($"--status: unknown status '{word}' (pending, syncing, succeeded, failed, conflict)");
            }

            statuses.Add(status);
        }

        return statuses;
    }
}

using System.Globalization;
using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Storage;

/// <summary>Statuses inlined as integer literals: safe (enum values) and lets SQLite match partial indexes.</summary>
internal static class StatusList
{
    public static string Sql(IEnumerable<OperationStatus> statuses) =>
        string.Join(", ", statuses.Distinct().Order().Select(s => ((int)s).ToString(CultureInfo.InvariantCulture)));
}

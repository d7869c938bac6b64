using System.Globalization;
using System.Text.Json;
using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Host.Cli;

/// <summary>How values read in tables: the same words as on the wire.</summary>
internal static class CliText
{
    public static string Of(OperationStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    public static string Of(OperationPriority priority) => JsonNamingPolicy.CamelCase.ConvertName(priority.ToString());

    public static string Of(Core.Cache.CacheState state) => JsonNamingPolicy.CamelCase.ConvertName(state.ToString());

    public static string Of(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

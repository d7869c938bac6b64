using System.Globalization;

namespace OfflineSidecar.Core.Storage.Transfer;

/// <summary>The export file's fixed words (docs/protocol.md, offlineSync/export).</summary>
internal static class ExportFormat
{
    public const string FormatName = "offline-sidecar-export";
    /// <summary>2 added attachments: per operation, and their content once per blob (base64) under <c>blobs</c>.</summary>
    public const int Version = 2;

    public const int OldestReadableVersion = 1;

    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static bool TryParseTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}

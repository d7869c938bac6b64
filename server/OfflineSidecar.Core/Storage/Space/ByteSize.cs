using System.Globalization;

namespace OfflineSidecar.Core.Storage.Space;

/// <summary>Sizes in refusal messages: "480 KB", "3.4 MB", "12 GB".</summary>
internal static class ByteSize
{
    public static string Format(long bytes)
    {
        string[] units = ["bytes", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        var number = value < 10 && unit > 0 ? value.ToString("0.#", CultureInfo.InvariantCulture) : Math.Round(value).ToString("0", CultureInfo.InvariantCulture);
        return $"{number} {units[unit]}";
    }
}

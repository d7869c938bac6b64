using System.Globalization;

namespace OfflineSidecar.Bench.Infra;

/// <summary>The operation shape every scenario uses: document.put.v1 with a JSON payload of about 200 bytes.</summary>
internal static class Payloads
{
    public const string Type = "document.put.v1";

    private const string Filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua enim.";

    /// <summary>A ~200-byte JSON object, distinct per index.</summary>
    public static string Json(long index) => string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"title":"Document {{index}}","body":"{{Filler}}","revision":{{index % 97}},"tags":["bench","offline"]}""");

    public static string EntityId(long index, int entities) =>
        string.Create(CultureInfo.InvariantCulture, $"doc-{index % entities}");
}

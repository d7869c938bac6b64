using System.Globalization;

namespace OfflineSidecar.Host.Settings;

/// <summary>
/// One <c>offlineSync.*</c> setting as the user sees it. <see cref="Type"/> is the JSON schema type of package.json
/// (<c>integer</c>, <c>number</c>, <c>boolean</c>, <c>string</c>); <see cref="Minimum"/>/<see cref="Maximum"/> are the
/// bounds the Settings editor enforces. <see cref="ProtocolField"/> is the member of the protocol's <c>Settings</c> the
/// editor sends it as; null: the editor alone reads it.
/// </summary>
internal sealed record SettingDefinition(
    string Key,
    string Type,
    object Default,
    double? Minimum = null,
    double? Maximum = null,
    IReadOnlyList<string>? Choices = null,
    string? ProtocolField = null)
{
    public int DefaultInteger => (int)Default;

    public double DefaultNumber => Convert.ToDouble(Default, CultureInfo.InvariantCulture);

    public string DefaultString => (string)Default;
}

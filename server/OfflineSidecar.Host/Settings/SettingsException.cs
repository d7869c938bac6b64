namespace OfflineSidecar.Host.Settings;

/// <summary>
/// A setting or server URL the sidecar refuses; <see cref="Exception.Message"/> starts with the field it names. Serve
/// maps it to a JSON-RPC error (SidecarErrorMapper), the CLI to a usage error: neither layer's types leak in here.
/// </summary>
public sealed class SettingsException : Exception
{
    public SettingsException(SettingsErrorKind kind, string field, string problem) : base($"{field}: {problem}") => Kind = kind;

    public SettingsException() : this(SettingsErrorKind.InvalidValue, "settings", "invalid") { }

    public SettingsException(string message) : base(message) { }

    public SettingsException(string message, Exception inner) : base(message, inner) { }

    public SettingsErrorKind Kind { get; }
}

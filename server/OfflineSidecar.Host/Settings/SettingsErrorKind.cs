namespace OfflineSidecar.Host.Settings;

public enum SettingsErrorKind
{
    /// <summary>Out of range or of the wrong kind (JSON-RPC -32602).</summary>
    InvalidValue,

    /// <summary>Neither https nor http on a loopback host (error 1006): tokens travel with every request.</summary>
    InvalidServerUrl,
}

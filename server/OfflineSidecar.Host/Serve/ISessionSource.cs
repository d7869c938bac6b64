namespace OfflineSidecar.Host.Serve;

internal interface ISessionSource
{
    /// <summary>The open session; the lifecycle gate guarantees one exists while handlers run.</summary>
    SidecarSession Session { get; }
}

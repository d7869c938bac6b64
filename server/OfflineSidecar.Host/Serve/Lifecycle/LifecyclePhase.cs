namespace OfflineSidecar.Host.Serve.Lifecycle;

internal enum LifecyclePhase
{
    Uninitialized,
    Initializing,
    Running,
    ShutDown,
}

namespace OfflineSidecar.Core.Transport;

public enum TransportCircuitState
{
    Closed,
    Open,
}

namespace OfflineSidecar.Host.Protocol.Window;

public enum WorkDoneProgressKind
{
    Begin,
    Report,
    End,
}

namespace OfflineSidecar.Host.Protocol.Window;

/// <summary>LSP MessageType; travels as a number.</summary>
public enum LogMessageType
{
    Error = 1,
    Warning = 2,
    Info = 3,
    Log = 4,
}

namespace OfflineSidecar.JsonRpc.Dispatch;

/// <summary>Same order and numbering as LSP's MessageType, so hosts can forward levels unchanged.</summary>
public enum JsonRpcLogLevel
{
    Error = 1,
    Warning = 2,
    Info = 3,
    Debug = 4,
}

namespace OfflineSidecar.JsonRpc.Messages;

public enum MessageKind
{
    Request,
    Notification,
}

namespace OfflineSidecar.JsonRpc.Messages;

public enum MessageDirection
{
    ClientToServer,
    ServerToClient,
    Both,
}

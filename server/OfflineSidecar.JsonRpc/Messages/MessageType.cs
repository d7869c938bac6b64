namespace OfflineSidecar.JsonRpc.Messages;

/// <summary>The declaration of one protocol message: its method name, who sends it, and whether it is answered.</summary>
public abstract class MessageType
{
    protected MessageType(string method, MessageDirection direction)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        Method = method;
        Direction = direction;
    }

    public string Method { get; }

    public MessageDirection Direction { get; }

    public abstract MessageKind Kind { get; }

    public override string ToString() => Method;
}

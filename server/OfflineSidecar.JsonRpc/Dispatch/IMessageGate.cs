using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.JsonRpc.Dispatch;

/// <summary>
/// Decides whether an incoming request or notification may run now (e.g. the LSP lifecycle: nothing
/// before <c>initialize</c>, no requests after <c>shutdown</c>). Consulted on the read loop, in arrival order.
/// </summary>
public interface IMessageGate
{
    /// <summary>Null admits the message. An error refuses it: requests are answered with it, notifications are dropped.</summary>
    JsonRpcError? Admit(string method, MessageKind kind);
}

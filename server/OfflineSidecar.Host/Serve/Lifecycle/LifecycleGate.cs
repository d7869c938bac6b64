using OfflineSidecar.Host.Protocol;
using OfflineSidecar.JsonRpc.Dispatch;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Serve.Lifecycle;

/// <summary>
/// LSP lifecycle rules: before a successful <c>initialize</c> requests get -32002 and notifications are dropped;
/// after <c>shutdown</c> requests get -32600. <c>exit</c> is always admitted.
/// </summary>
internal sealed class LifecycleGate : IMessageGate
{
    private int phase = (int)LifecyclePhase.Uninitialized;

    public LifecyclePhase Phase => (LifecyclePhase)Volatile.Read(ref phase);

    public JsonRpcError? Admit(string method, MessageKind kind)
    {
        if (method == LspMethods.Exit.Method)
        {
            return null;
        }

        return Phase switch
        {
            LifecyclePhase.Uninitialized when method == LspMethods.Initialize.Method => null,
            LifecyclePhase.Uninitialized or LifecyclePhase.Initializing =>
                new JsonRpcError(JsonRpcErrorCodes.ServerNotInitialized, $"Server not initialized: {method} before initialize completed"),
            LifecyclePhase.Running when method == LspMethods.Initialize.Method =>
                new JsonRpcError(JsonRpcErrorCodes.InvalidRequest, "Invalid request: initialize may be sent only once"),
            LifecyclePhase.Running => null,
            _ => new JsonRpcError(JsonRpcErrorCodes.InvalidRequest, $"Invalid request: {method} after shutdown"),
        };
    }

    public bool TryBeginInitialize() =>
        Interlocked.CompareExchange(ref phase, (int)LifecyclePhase.Initializing, (int)LifecyclePhase.Uninitialized) == (int)LifecyclePhase.Uninitialized;

    public void EndInitialize(bool succeeded) =>
        Interlocked.CompareExchange(ref phase, (int)(succeeded ? LifecyclePhase.Running : LifecyclePhase.Uninitialized), (int)LifecyclePhase.Initializing);

    public void BeginShutdown() => Volatile.Write(ref phase, (int)LifecyclePhase.ShutDown);
}

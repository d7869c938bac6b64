using OfflineSidecar.Host.Protocol.Lifecycle;
using OfflineSidecar.Host.Protocol.Window;
using OfflineSidecar.Host.Protocol.Workspace;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Protocol;

/// <summary>The standard LSP messages the sidecar speaks (docs/protocol.md, "Lifecycle").</summary>
public static class LspMethods
{
    // Resolved lazily (see RequestType): only what a message needs is built, when it is first used.
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    public static readonly RequestType<InitializeParams, InitializeResult> Initialize =
        new("initialize", MessageDirection.ClientToServer, () => Json.InitializeParams, () => Json.InitializeResult);

    public static readonly NotificationType<EmptyParams> Initialized =
        new("initialized", MessageDirection.ClientToServer, () => Json.EmptyParams);

    public static readonly RequestType<EmptyParams, NullResult> Shutdown =
        new("shutdown", MessageDirection.ClientToServer, () => Json.EmptyParams, () => Json.NullResult);

    public static readonly NotificationType<EmptyParams> Exit =
        new("exit", MessageDirection.ClientToServer, () => Json.EmptyParams);

    /// <summary>Handled by the JSON-RPC layer itself; declared for the contract.</summary>
    public static readonly NotificationType<CancelParams> CancelRequest =
        new("$/cancelRequest", MessageDirection.Both, () => Json.CancelParams);

    public static readonly NotificationType<DidChangeConfigurationParams> DidChangeConfiguration =
        new("workspace/didChangeConfiguration", MessageDirection.ClientToServer, () => Json.DidChangeConfigurationParams);

    public static readonly NotificationType<LogMessageParams> LogMessage =
        new("window/logMessage", MessageDirection.ServerToClient, () => Json.LogMessageParams);

    /// <summary>Something the user must see at once (a damaged store replaced by an empty one).</summary>
    public static readonly NotificationType<ShowMessageParams> ShowMessage =
        new("window/showMessage", MessageDirection.ServerToClient, () => Json.ShowMessageParams);

    public static readonly RequestType<WorkDoneProgressCreateParams, NullResult> WorkDoneProgressCreate =
        new("window/workDoneProgress/create", MessageDirection.ServerToClient, () => Json.WorkDoneProgressCreateParams, () => Json.NullResult);

    public static readonly NotificationType<ProgressParams> Progress =
        new("$/progress", MessageDirection.ServerToClient, () => Json.ProgressParams);

    /// <summary>The user cancelled a cancellable progress (a pull's).</summary>
    public static readonly NotificationType<WorkDoneProgressCancelParams> WorkDoneProgressCancel =
        new("window/workDoneProgress/cancel", MessageDirection.ClientToServer, () => Json.WorkDoneProgressCancelParams);
}

namespace OfflineSidecar.JsonRpc.Messages;

/// <summary>The <c>error</c> member of a response.</summary>
public sealed record JsonRpcError(int Code, string Message);

namespace OfflineSidecar.Host.Protocol.Lifecycle;

/// <summary>The parts of LSP's InitializeParams the sidecar reads; the rest is ignored.</summary>
public sealed record InitializeParams
{
    /// <summary>The client's process; the sidecar exits when it dies.</summary>
    public int? ProcessId { get; init; }

    public InitializationOptions? InitializationOptions { get; init; }
}

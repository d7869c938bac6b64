namespace OfflineSidecar.Host.Protocol.Sync;

public sealed record SignOutParams
{
    /// <summary>Also delete what the account kept on this machine (its queue and cached documents) and vacuum the file.</summary>
    public required bool ClearData { get; init; }
}

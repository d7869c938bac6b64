namespace OfflineSidecar.Core.Transport;

/// <summary>The server's verdict on one command.</summary>
public enum CommandStatus
{
    Applied,
    Duplicate,
    Conflict,
    Rejected,
    Retry,
}

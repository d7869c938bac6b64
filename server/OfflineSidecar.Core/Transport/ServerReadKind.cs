namespace OfflineSidecar.Core.Transport;

/// <summary>How a read from the sync server (the changes feed, one entity) ended.</summary>
public enum ServerReadKind
{
    Ok,

    /// <summary>The entity was never written (404).</summary>
    NotFound,

    /// <summary>The server no longer accepts the cursor (410 cursor_expired, or a 400 invalid_cursor for one it never issued).</summary>
    CursorExpired,

    /// <summary>The answer came but cannot be used (not JSON, missing members, a cursor that goes backwards).</summary>
    Malformed,

    /// <summary>A whole-request failure, classified as for commands (<see cref="ServerRead{T}.Failure"/>).</summary>
    Failed,
}

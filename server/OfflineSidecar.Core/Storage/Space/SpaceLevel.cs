namespace OfflineSidecar.Core.Storage.Space;

/// <summary>How close the data directory's file system is to full. Pinned values: the protocol and tests rely on the order.</summary>
public enum SpaceLevel
{
    /// <summary>Above the warning threshold.</summary>
    Ok = 0,

    /// <summary>Under the warning threshold: the user is told, everything still works.</summary>
    Low = 1,

    /// <summary>Under the critical threshold: new operations are refused before SQLite runs out of room.</summary>
    Critical = 2,
}

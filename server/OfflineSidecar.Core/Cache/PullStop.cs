namespace OfflineSidecar.Core.Cache;

/// <summary>Why a pull ended. Every page it committed stays committed whatever the reason.</summary>
public enum PullStop
{
    /// <summary>The feed was read to its end.</summary>
    Complete,

    /// <summary>Stopped between pages because other work (a flush) was waiting; the next pull resumes.</summary>
    Yielded,

    Cancelled,

    /// <summary>A whole-request failure (see <see cref="PullOutcome.Failure"/>).</summary>
    Failed,

    /// <summary>The server's answer could not be trusted; nothing of it was written.</summary>
    Malformed,

    /// <summary>Another sidecar of this workspace moved the cursor meanwhile (it pulls for both).</summary>
    Superseded,
}

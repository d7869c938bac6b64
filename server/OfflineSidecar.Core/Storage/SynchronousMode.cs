namespace OfflineSidecar.Core.Storage;

/// <summary>SQLite's <c>PRAGMA synchronous</c>. Normal may lose the last commits on power loss (never corrupts).</summary>
public enum SynchronousMode
{
    Full,
    Normal,
}

namespace OfflineSidecar.Core.Storage;

/// <summary>The columns a cache write needs to decide about one cached row (read on the writer, in its transaction).</summary>
internal readonly record struct CachedRow(long Version, bool Deleted, bool Evicted, long PayloadBytes, long Generation)
{
    public (bool Deleted, bool Evicted, long Bytes) Totals => (Deleted, Evicted, PayloadBytes);
}

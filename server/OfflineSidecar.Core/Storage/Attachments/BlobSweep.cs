namespace OfflineSidecar.Core.Storage.Attachments;

/// <summary>
/// Deletes blobs no unfinished operation needs. Runs as a writer job: the check and the delete happen under SQLite's
/// write lock, where no other process can be committing a new reference (see <see cref="BlobStore"/>).
/// </summary>
internal static class BlobSweep
{
    /// <summary>After a commit that released <paramref name="candidates"/>: those still needed elsewhere stay.</summary>
    public static int Sweep(WriteSession session, BlobStore blobs, IReadOnlyList<string> candidates)
    {
        var deleted = 0;
        foreach (var sha256 in AttachmentRows.Unneeded(session.Statements, candidates))
        {
            if (TryDelete(blobs, sha256))
            {
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>
    /// At start: blobs nothing references (a crash between a blob's rename and its operation's commit, a sweep that never
    /// ran) and staging copies of processes that are gone. A staging copy of a live process is its enqueue in progress.
    /// </summary>
    public static int CollectOrphans(WriteSession session, BlobStore blobs)
    {
        int deleted;
        try
        {
            deleted = blobs.DeleteStagingOfEndedProcesses();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            deleted = 0;
        }

        return deleted + Sweep(session, blobs, blobs.ListBlobs().ToList());
    }

    private static bool TryDelete(BlobStore blobs, string sha256)
    {
        try
        {
            blobs.Delete(sha256);
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Left for the next start's collection: a blob too many costs only disk space.
            return false;
        }
    }
}

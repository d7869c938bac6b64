using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage.Attachments;

namespace OfflineSidecar.Core.Storage.Salvage;

/// <summary>
/// Puts the unfinished operations of a damaged store file back in the queue, each with its original id and
/// idempotency key: one the server already applied (sent just before the damage) is answered "duplicate" when it goes
/// again, never applied twice. They start over as pending, like imported ones. The op cache is not salvaged: the next
/// pull fetches it again.
/// </summary>
/// <remarks>
/// SQLite's own recovery could not be used: the bundled SQLite is built without the recovery extension and the
/// <c>sqlite_dbpage</c> table it needs, and the <c>.recover</c> of Debian 12's sqlite3 shell (3.40.1) fails with
/// "SQL logic error" even on a healthy file. <see cref="DamagedStoreReader"/> reads what SQL still reaches.
/// </remarks>
internal static class StoreSalvage
{
    public static SalvageReport Run(SqliteOperationStore store, string damagedPath)
    {
        var work = Path.Combine(Path.GetDirectoryName(store.DatabasePath) ?? ".", $".salvage-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var copy = CopyWithWal(damagedPath, work);
            var read = DamagedStoreReader.Read(copy);
            var ready = Stage(read.Operations, store.Blobs, store.Owner);
            try
            {
                var reimported = 0;
                var already = 0;
                foreach (var partition in ready.GroupBy(static o => o.Workspace, StringComparer.Ordinal))
                {
                    var operations = partition.Select(static o => o.Operation).ToList();
                    var result = store.Writer.RunAsync(session => QueueWrites.Import(session, partition.Key, operations, store.Blobs), CancellationToken.None)
                        .GetAwaiter().GetResult();
                    reimported += result.Imported;
                    already += result.Skipped;
                }

                int? lost = read.CountedUnfinished is { } counted ? (int)Math.Max(0, counted - ready.Count) : null;
                return new SalvageReport(ready.Count, reimported, already, lost);
            }
            finally
            {
                foreach (var attachment in ready.SelectMany(static o => o.Operation.Attachments ?? []))
                {
                    attachment.DeleteIfLeft();
                }
            }
        }
        finally
        {
            TryDelete(work);
        }
    }

    private static string CopyWithWal(string damagedPath, string work)
    {
        var copy = Path.Combine(work, "damaged.db");
        File.Copy(damagedPath, copy);
        if (File.Exists(damagedPath + "-wal"))
        {
            // The last commits before the damage may still be in the log only.
            File.Copy(damagedPath + "-wal", copy + "-wal");
        }

        return copy;
    }

    /// <summary>Operations whose attachments are all still in the blob store, staged for the import; the rest are lost.</summary>
    private static List<SalvagedOperation> Stage(IReadOnlyList<SalvagedOperation> operations, BlobStore blobs, string owner)
    {
        var ready = new List<SalvagedOperation>(operations.Count);
        foreach (var salvaged in operations)
        {
            if (salvaged.Attachments.Count == 0)
            {
                ready.Add(salvaged);
                continue;
            }

            var staged = new List<StagedAttachment>(salvaged.Attachments.Count);
            foreach (var reference in salvaged.Attachments)
            {
                if (blobs.Read(reference.Sha256) is not { } content)
                {
                    break;
                }

                try
                {
                    staged.Add(blobs.StageBytes(reference, content, owner));
                }
                catch (QueueException)
                {
                    break; // the file no longer holds what the operation names
                }
            }

            if (staged.Count == salvaged.Attachments.Count)
            {
                ready.Add(salvaged with { Operation = salvaged.Operation with { Attachments = staged } });
            }
            else
            {
                staged.ForEach(static s => s.DeleteIfLeft());
            }
        }

        return ready;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Left for the user to see; it holds only copies.
        }
    }
}

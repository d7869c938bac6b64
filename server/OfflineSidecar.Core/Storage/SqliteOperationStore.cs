using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage.Attachments;
using OfflineSidecar.Core.Storage.Partitions;
using OfflineSidecar.Core.Storage.Salvage;
using OfflineSidecar.Core.Storage.Space;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// One SQLite database file holding the queues of any number of workspaces; open one per file and process.
/// Other processes (the CLI, other sidecars) may open the same file at the same time.
/// </summary>
public sealed class SqliteOperationStore : IAsyncDisposable, IDisposable
{
    private readonly ConcurrentDictionary<string, SqliteWorkspaceStore> workspaces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SqliteDocumentCache> caches = new(StringComparer.Ordinal);
    private volatile int maxPayloadBytes;
    private long maxAttachmentBytes;
    private int disposed;

    private SqliteOperationStore(StoreOptions options, string path, SqliteConnection writerConnection, TimeProvider time, StoreOpenReport report)
    {
        Time = time;
        DatabasePath = path;
        BusyTimeout = options.BusyTimeout;
        Ids = new UlidGenerator(time);
        maxPayloadBytes = options.MaxPayloadBytes;
        maxAttachmentBytes = options.MaxAttachmentBytes;
        Blobs = new BlobStore(Path.Combine(Path.GetDirectoryName(path) ?? ".", "attachments"));
        OpenReport = report;
        Writer = new StoreWriter(writerConnection, options.Synchronous, new WalCheckpointer(path, options.BusyTimeout), time, RaiseChanged);
        Readers = new ReaderPool(path, options.BusyTimeout);
        ChangeStamps = new ChangeStampSource(path, options.BusyTimeout, () => Writer.CommitCount);
        Partitions = new SqlitePartitionDirectory(this);
        Space = options.FreeSpaceProbe is { } probe
            ? new SpaceWatcher(probe, Path.GetDirectoryName(path) ?? path, options.SpaceThresholds, time)
            : null;
    }

    public StoreOpenReport OpenReport { get; private set; }

    /// <summary>Whose queue and cache is whose: the names <see cref="Workspace"/> and <see cref="Cache"/> are opened with.</summary>
    public SqlitePartitionDirectory Partitions { get; }

    /// <summary>The free space of the file system holding the database, when watched (<see cref="StoreOptions.FreeSpaceProbe"/>).</summary>
    public SpaceWatcher? Space { get; }

    internal string DatabasePath { get; }

    internal TimeSpan BusyTimeout { get; }

    internal TimeProvider Time { get; }

    internal UlidGenerator Ids { get; }

    internal StoreWriter Writer { get; }

    internal ReaderPool Readers { get; }

    internal ChangeStampSource ChangeStamps { get; }

    internal int MaxPayloadBytes => maxPayloadBytes;

    internal long MaxAttachmentBytes => Interlocked.Read(ref maxAttachmentBytes);

    /// <summary>The attachments' content-addressed files, beside the database.</summary>
    internal BlobStore Blobs { get; }

    /// <summary>This process's name in the shared file (documents it has open).</summary>
    internal string Owner { get; } = ProcessOwner.NewName();

    /// <summary>
    /// Opens (creating when absent, owner-only) and migrates the database. A damaged file is moved aside and
    /// replaced by an empty one; <see cref="OpenReport"/> says so. Throws <see cref="QueueException"/> (StorageFailure).
    /// </summary>
    public static SqliteOperationStore Open(StoreOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            throw OperationInputRules.Invalid("databasePath: required");
        }

        if (options.MaxPayloadBytes <= 0)
        {
            throw OperationInputRules.Invalid("maxPayloadBytes: must be positive");
        }

        if (options.MaxAttachmentBytes <= 0)
        {
            throw OperationInputRules.Invalid("maxAttachmentBytes: must be positive");
        }

        var path = Path.GetFullPath(options.DatabasePath);
        try
        {
            var prepared = DatabaseFilePreparer.Prepare(path, options.BusyTimeout, time);
            var writer = StoreConnections.OpenWriter(path, options.Synchronous, options.BusyTimeout);
            int schemaVersion;
            try
            {
                schemaVersion = SchemaMigrations.Apply(writer);
                WriterTriggers.Install(writer);
            }
            catch
            {
                writer.Dispose();
                throw;
            }

            var report = new StoreOpenReport(
                path, prepared.Created, prepared.RecoveredFromCorruption, prepared.MovedAsidePath, prepared.CorruptionReason, schemaVersion);
            var store = new SqliteOperationStore(options, path, writer, time, report);
            if (prepared.MovedAsidePath is { } damaged)
            {
                // Before anything else uses the fresh file: the start-up sweep would delete the attachments of
                // operations not yet put back.
                try
                {
                    store.SalvageMovedAside(damaged);
                }
                catch
                {
                    store.Dispose();
                    throw;
                }
            }

            return store;
        }
        catch (SqliteException error)
        {
            throw SqliteErrors.Map(error);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new QueueException(QueueErrorKind.StorageFailure, $"storage failure: cannot open {path}: {error.Message}", error);
        }
    }

    /// <summary>
    /// Puts the unfinished operations of another store file (a damaged one moved aside, or any older copy) back in this
    /// queue with their original idempotency keys; operations already here (same id) are left as they are.
    /// </summary>
    public SalvageReport Salvage(string damagedPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(damagedPath);
        if (!File.Exists(damagedPath))
        {
            throw OperationInputRules.Invalid($"path: no file at {damagedPath}");
        }

        return StoreSalvage.Run(this, Path.GetFullPath(damagedPath));
    }

    private void SalvageMovedAside(string damagedPath)
    {
        try
        {
            OpenReport = OpenReport with { Salvage = StoreSalvage.Run(this, damagedPath) };
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or SqliteException or QueueException)
        {
            OpenReport = OpenReport with { SalvageProblem = error.Message };
        }
    }

    /// <summary>The queue of one workspace; the same instance for the same id.</summary>
    public SqliteWorkspaceStore Workspace(string workspaceId)
    {
        if (workspaceId is null)
        {
            throw OperationInputRules.Invalid("workspaceId: required");
        }

        OperationInputRules.ValidateKey(workspaceId, "workspaceId");
        return workspaces.GetOrAdd(workspaceId, id => new SqliteWorkspaceStore(this, id));
    }

    /// <summary>The op cache of one workspace; the same instance for the same id.</summary>
    public SqliteDocumentCache Cache(string workspaceId)
    {
        if (workspaceId is null)
        {
            throw OperationInputRules.Invalid("workspaceId: required");
        }

        OperationInputRules.ValidateKey(workspaceId, "workspaceId");
        return caches.GetOrAdd(workspaceId, id => new SqliteDocumentCache(this, id));
    }

    /// <summary>Forgets documents held open by sidecars of this machine whose process has ended.</summary>
    public Task<int> ForgetEditorsOfEndedProcessesAsync(CancellationToken cancellationToken = default) =>
        Writer.RunAsync(session => CacheMaintenance.ForgetOwners(session, ProcessOwner.IsGone), cancellationToken, redoable: true);

    /// <summary>
    /// Deletes attachment blobs no unfinished operation references (left by a crash between a blob's write and its
    /// operation's commit) and staging copies of ended processes. Run at start.
    /// </summary>
    public Task<int> CollectOrphanBlobsAsync(CancellationToken cancellationToken = default) =>
        Writer.RunAsync(session => BlobSweep.CollectOrphans(session, Blobs), cancellationToken, redoable: true);

    /// <summary>Applies the user's settings at once (synchronous from the next transaction on).</summary>
    public void ApplySettings(SynchronousMode synchronous, int maxPayloadBytes, long? maxAttachmentBytes = null)
    {
        if (maxPayloadBytes <= 0)
        {
            throw OperationInputRules.Invalid("maxPayloadBytes: must be positive");
        }

        if (maxAttachmentBytes <= 0)
        {
            throw OperationInputRules.Invalid("maxAttachmentBytes: must be positive");
        }

        this.maxPayloadBytes = maxPayloadBytes;
        if (maxAttachmentBytes is { } attachmentLimit)
        {
            Interlocked.Exchange(ref this.maxAttachmentBytes, attachmentLimit);
        }

        Writer.RequestSynchronous(synchronous);
    }

    /// <summary>Test hook: caps the writer connection's database size to provoke SQLITE_FULL.</summary>
    internal Task SetMaxPageCountAsync(long pages) => Writer.RunAsync(
        session =>
        {
            StoreConnections.Execute(session.Connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA max_page_count = {pages};"));
            return true;
        },
        CancellationToken.None);

    /// <summary>Waits for queued writes to commit, then closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        foreach (var cache in caches.Values)
        {
            try
            {
                await cache.FlushReadsAsync().ConfigureAwait(false);
            }
            catch (QueueException)
            {
                // Closing anyway: only the eviction order of the next run suffers.
            }
        }

        await Writer.RunAsync(
            session =>
            {
                session.Sql("DELETE FROM cache_open WHERE owner = $o;").With("$o", Owner).ExecuteNonQuery();
                return true;
            },
            CancellationToken.None,
            redoable: true).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        await Writer.DisposeAsync().ConfigureAwait(false);
        Space?.Dispose();
        Readers.Dispose();
        ChangeStamps.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void RaiseChanged(WriteSession session)
    {
        if (session.ReleasedBlobs.Count > 0)
        {
            // Its own job, after this commit: a sweep in the releasing transaction would delete files that a rollback
            // of that transaction would need again.
            var released = session.ReleasedBlobs.ToArray();
            _ = Writer.RunAsync(s => BlobSweep.Sweep(s, Blobs, released), CancellationToken.None, redoable: true)
                .ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        foreach (var workspace in session.TouchedWorkspaces)
        {
            if (workspaces.TryGetValue(workspace, out var store) && store.HasChangedSubscribers)
            {
                // Read only if a subscriber asks for the counts: the host's notifier just schedules a refresh.
                store.RaiseChanged(() => QueueReads.Counts(session.Statements, workspace));
            }
        }

        foreach (var (workspace, entityIds) in session.TouchedDocuments)
        {
            if (caches.TryGetValue(workspace, out var cache) && cache.HasChangedSubscribers)
            {
                cache.RaiseChanged(entityIds is null ? null : [.. entityIds]);
            }
        }
    }
}

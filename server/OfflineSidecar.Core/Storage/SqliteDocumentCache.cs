using System.Collections.Concurrent;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// The op cache of one workspace inside a <see cref="SqliteOperationStore"/>: server rows in their own tables, read with
/// the queue overlaid. Writes go through the store's single writer; the pull's pages, fetches, reads and eviction are
/// redoable (a power cut that forgets one only means pulling or evicting again), so they never cost an fsync.
/// </summary>
public sealed class SqliteDocumentCache : IDocumentCache, ICacheStore
{
    /// <summary>
    /// Reads are counted in memory and written in one statement before an eviction, at close, or once this many
    /// documents were read (a few MB at most). Writing them every 1,024 reads put a 1,024-row update of the eviction index
    /// on the writer often enough to show in cache/get's p99 (2.8 ms instead of 0.5 at a million documents, measured);
    /// a crash that loses them only blurs the eviction order.
    /// </summary>
    private const int ReadsPerFlush = 65_536;

    private readonly SqliteOperationStore store;
    private readonly ConcurrentDictionary<string, long> unrecordedReads = new(StringComparer.Ordinal);
    private readonly Lazy<long> clockStart;
    private long clockTicks;
    private int flushing;

    internal SqliteDocumentCache(SqliteOperationStore store, string workspaceId)
    {
        this.store = store;
        WorkspaceId = workspaceId;
        // The eviction index's end, not a scan of every row (a second at a million documents, on the first read after a
        // start). Pinned and evicted rows are not in it; their order does not matter to eviction.
        clockStart = new Lazy<long>(() => store.Readers.Read(reader =>
            reader.Sql("""
                    SELECT COALESCE(MAX(access_seq), 0) FROM cache_entities INDEXED BY ix_cache_eviction
                    WHERE workspace = $w AND evicted = 0 AND pinned = 0 AND deleted = 0;
                    """).With("$w", workspaceId).ScalarInt64() ?? 0),
            LazyThreadSafetyMode.PublicationOnly);
    }

    public string WorkspaceId { get; }

    public event EventHandler<CacheChangedEventArgs>? Changed;

    /// <summary>The logical read clock: rows written now are as recent as the last read.</summary>
    internal long AccessClock => clockStart.Value + Interlocked.Read(ref clockTicks);

    internal bool HasChangedSubscribers => Changed is not null;

    internal void RaiseChanged(IReadOnlyCollection<string>? entityIds) => Changed?.Invoke(this, new CacheChangedEventArgs(entityIds));

    public Task<CacheEntry?> GetAsync(string entityId, CancellationToken cancellationToken = default)
    {
        DocumentIds.Validate(entityId, "entityId");
        var read = ReadAsync(reader => CacheReads.Get(reader, WorkspaceId, entityId, withPayload: true), cancellationToken, consistent: true);
        if (read.IsCompletedSuccessfully && read.Result is not null)
        {
            RecordRead(entityId);
        }

        return read;
    }

    public Task<CacheEntry?> StatAsync(string entityId, CancellationToken cancellationToken = default)
    {
        DocumentIds.Validate(entityId, "entityId");
        return ReadAsync(reader => CacheReads.Get(reader, WorkspaceId, entityId, withPayload: false), cancellationToken, consistent: true);
    }

    public Task<bool> IsFolderAsync(string folder, CancellationToken cancellationToken = default)
    {
        if (folder.Length > 0)
        {
            DocumentIds.Validate(folder, "entityId");
        }

        var prefix = folder.Length == 0 ? string.Empty : folder + DocumentIds.Separator;
        return ReadAsync(reader => new CacheListing(reader, WorkspaceId, prefix, null).HasAny(), cancellationToken, consistent: true);
    }

    public Task<CachePage> ListAsync(CacheListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > CacheListQuery.MaxLimit)
        {
            throw OperationInputRules.Invalid($"limit: must be between 1 and {CacheListQuery.MaxLimit}");
        }

        DocumentIds.ValidatePrefix(query.Prefix, "prefix");
        if (query.Delimiter is { Length: not 1 })
        {
            throw OperationInputRules.Invalid("delimiter: must be a single character");
        }

        var prefix = query.Prefix ?? string.Empty;
        return ReadAsync(
            reader => new CacheListing(reader, WorkspaceId, prefix, query.Delimiter)
                .Page(query.Cursor, query.Limit, () => CacheReads.CountUnder(reader, WorkspaceId, prefix)),
            cancellationToken,
            consistent: true);
    }

    public Task<int> PinAsync(IReadOnlyList<string> entityIds, bool pinned, CancellationToken cancellationToken = default)
    {
        ValidateAll(entityIds);
        return store.Writer.RunAsync(session => CacheMaintenance.SetPinned(session, WorkspaceId, entityIds, pinned), cancellationToken);
    }

    public Task SetOpenAsync(IReadOnlyList<string> entityIds, bool open, CancellationToken cancellationToken = default)
    {
        ValidateAll(entityIds);
        return store.Writer.RunAsync(
            session =>
            {
                CacheMaintenance.SetOpen(session, WorkspaceId, store.Owner, entityIds, open);
                return true;
            },
            cancellationToken,
            redoable: true);
    }

    public Task<UnsyncedList> ListUnsyncedAsync(int maxOperations, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOperations, 1);
        return ReadAsync(
            reader =>
            {
                var (documents, truncated) = CacheReads.Unsynced(reader, WorkspaceId, maxOperations);
                return new UnsyncedList(documents, truncated);
            },
            cancellationToken);
    }

    public Task<CacheTotals> GetTotalsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(reader => CacheReads.Totals(reader, WorkspaceId), cancellationToken);

    public Task<PullState> GetPullStateAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(reader => CacheReads.PullState(reader, WorkspaceId), cancellationToken);

    public async Task<int> ApplyPageAsync(string? expectedCursor, long generation, ChangesPage page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        var accessSeq = AccessClock;
        var changed = await store.Writer.RunAsync(
            session => PullWrites.ApplyPage(session, WorkspaceId, expectedCursor, generation, page, accessSeq).Changed.Count,
            cancellationToken,
            redoable: true).ConfigureAwait(false);
        // Pulls are never refused (they are the server's state, and redoable), but they are this file's other large
        // writer: their bytes count towards the next free-space check like the user's.
        store.Space?.NoteWritten(page.Changes.Sum(change => (long)(change.PayloadJson?.Length ?? 0)));
        return changed;
    }

    public Task<PullState> StartRefetchAsync(string? server, CancellationToken cancellationToken = default) =>
        store.Writer.RunAsync(session => PullWrites.StartRefetch(session, WorkspaceId, server), cancellationToken, redoable: true);

    public Task<bool> StoreFetchedAsync(ChangeRecord entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        DocumentIds.Validate(entity.EntityId, "entityId");
        var accessSeq = AccessClock;
        return store.Writer.RunAsync(session => PullWrites.StoreFetched(session, WorkspaceId, entity, accessSeq), cancellationToken, redoable: true);
    }

    public Task<int> EvictAsync(long maxBytes, CancellationToken cancellationToken = default)
    {
        var reads = TakeReads();
        return store.Writer.RunAsync(
            session =>
            {
                CacheMaintenance.RecordReads(session, WorkspaceId, reads);
                return CacheMaintenance.Evict(session, WorkspaceId, maxBytes).Count;
            },
            cancellationToken,
            redoable: true);
    }

    public Task<string?> GetBaseAsync(string entityId, long version, CancellationToken cancellationToken = default) =>
        ReadAsync(reader => CacheReads.Base(reader, WorkspaceId, entityId, version), cancellationToken);

    /// <summary>Writes the reads counted so far (before closing, so the next process evicts in the right order).</summary>
    internal Task FlushReadsAsync()
    {
        var reads = TakeReads();
        return reads.Count == 0
            ? Task.CompletedTask
            : store.Writer.RunAsync(
                session =>
                {
                    CacheMaintenance.RecordReads(session, WorkspaceId, reads);
                    return true;
                },
                CancellationToken.None,
                redoable: true);
    }

    private void RecordRead(string entityId)
    {
        unrecordedReads[entityId] = clockStart.Value + Interlocked.Increment(ref clockTicks);
        if (unrecordedReads.Count >= ReadsPerFlush && Interlocked.Exchange(ref flushing, 1) == 0)
        {
            _ = FlushInBackgroundAsync();
        }
    }

    private async Task FlushInBackgroundAsync()
    {
        try
        {
            await FlushReadsAsync().ConfigureAwait(false);
        }
        catch (QueueException)
        {
            // Only the eviction order suffers; the next flush writes the reads counted since.
        }
        finally
        {
            Interlocked.Exchange(ref flushing, 0);
        }
    }

    private List<KeyValuePair<string, long>> TakeReads()
    {
        var taken = new List<KeyValuePair<string, long>>(unrecordedReads.Count);
        foreach (var read in unrecordedReads)
        {
            // Only if not read again meanwhile: a newer read stays for the next flush.
            if (unrecordedReads.TryRemove(read))
            {
                taken.Add(read);
            }
        }

        return taken;
    }

    private static void ValidateAll(IReadOnlyList<string> entityIds)
    {
        ArgumentNullException.ThrowIfNull(entityIds);
        foreach (var id in entityIds)
        {
            DocumentIds.Validate(id, "entityIds");
        }
    }

    private Task<T> ReadAsync<T>(Func<StatementCache, T> read, CancellationToken cancellationToken, bool consistent = false) =>
        store.Readers.ReadAsync(read, cancellationToken, consistent);
}

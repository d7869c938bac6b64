using OfflineSidecar.Core.Clock;
using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage.Attachments;
using OfflineSidecar.Core.Storage.Transfer;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Core.Sync.Flush;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// The queue of one workspace inside a <see cref="SqliteOperationStore"/>: the user-facing queue and what the
/// sync worker needs. Mutations go through the store's single writer (group commit); reads use reader connections.
/// </summary>
public sealed class SqliteWorkspaceStore : IOperationQueue, ISyncStore
{
    private readonly SqliteOperationStore store;
    private readonly EnqueueOrder order = new();

    internal SqliteWorkspaceStore(SqliteOperationStore store, string workspaceId)
    {
        this.store = store;
        WorkspaceId = workspaceId;
    }

    public string WorkspaceId { get; }

    /// <summary>Raised on the store's writer thread after a commit, before the writing callers are acknowledged.
    /// Handlers must return quickly and must not wait for a write of this store (that would deadlock the writer).</summary>
    public event EventHandler<QueueChangedEventArgs>? Changed;

    internal bool HasChangedSubscribers => Changed is not null;

    internal void RaiseChanged(Func<QueueCounts> readCounts) => Changed?.Invoke(this, new QueueChangedEventArgs(readCounts));

    public Task<EnqueueResult> EnqueueAsync(EnqueueRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var operation = Validate(request);
        var attachments = request.Attachments is { Count: > 0 } sources ? sources : null;
        return AddingUserData(
            operation.PayloadBytes + (attachments is null ? 0 : SourceBytes(attachments)),
            () => order.Enter(operation.EntityId, operation.DedupKey, handsOffNow: attachments is null) is { } turn
                ? EnqueueInTurnAsync(operation, attachments, turn, cancellationToken)
                : WriteEnqueue(operation, cancellationToken));
    }

    /// <summary>Only multi-statement inserts (the attachments' rows) need a savepoint to be refused alone.</summary>
    private Task<EnqueueResult> WriteEnqueue(NewOperation operation, CancellationToken cancellationToken) =>
        store.Writer.RunAsync(
            session => QueueWrites.Enqueue(session, WorkspaceId, operation, store.Blobs),
            cancellationToken,
            usesSavepoint: operation.Attachments is { Count: > 0 });

    /// <summary>What the copies will take, as far as the sources can say now (an unreadable one is refused later).</summary>
    private static long SourceBytes(IReadOnlyList<AttachmentSource> sources)
    {
        long total = 0;
        foreach (var source in sources)
        {
            try
            {
                total += source?.Path is { Length: > 0 } path && File.Exists(path) ? new FileInfo(path).Length : 0;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                // Staging says what is wrong with it, with the attachment's index.
            }
        }

        return total;
    }

    /// <summary>
    /// An enqueue that cannot go to the writer at the call: it copies its files, or an earlier call of its entity or
    /// dedup key does (<see cref="EnqueueOrder"/>). The files are copied (and flushed) off the writer first, so a source
    /// deleted right after the answer does not matter; the writer then moves them to their hash and commits the
    /// operation that references them.
    /// </summary>
    private async Task<EnqueueResult> EnqueueInTurnAsync(
        NewOperation operation, IReadOnlyList<AttachmentSource>? sources, EnqueueTurn turn, CancellationToken cancellationToken)
    {
        var staged = new List<StagedAttachment>(sources?.Count ?? 0);
        try
        {
            Task<EnqueueResult> written;
            try
            {
                if (sources is not null)
                {
                    var limit = store.MaxAttachmentBytes;
                    await Task.Run(
                        () =>
                        {
                            for (var i = 0; i < sources.Count; i++)
                            {
                                cancellationToken.ThrowIfCancellationRequested();
                                staged.Add(StageOne(sources[i], limit, $"attachments[{i}]"));
                            }
                        },
                        cancellationToken).ConfigureAwait(false);
                    operation = operation with { Attachments = staged };
                }

                await turn.EarlierHandedOff.WaitAsync(cancellationToken).ConfigureAwait(false);
                written = WriteEnqueue(operation, cancellationToken);
            }
            finally
            {
                turn.Done();
            }

            return await written.ConfigureAwait(false);
        }
        finally
        {
            foreach (var attachment in staged)
            {
                attachment.DeleteIfLeft();
            }
        }
    }

    private StagedAttachment StageOne(AttachmentSource source, long limit, string field)
    {
        if (source is null || string.IsNullOrEmpty(source.Path))
        {
            throw OperationInputRules.Invalid($"{field}.path: required");
        }

        OperationInputRules.ValidateKey(source.Name, $"{field}.name");
        OperationInputRules.ValidateKey(source.MediaType, $"{field}.mediaType");
        try
        {
            return store.Blobs.Stage(source, limit, field, store.Owner);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Reading the source is the caller's problem (AttachmentUnreadable, raised inside); writing our copy is ours.
            throw new QueueException(QueueErrorKind.StorageFailure, $"storage failure: cannot copy {field}: {error.Message}", error);
        }
    }

    public Task<QueueCounts> GetCountsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(reader => QueueReads.Counts(reader, WorkspaceId), cancellationToken);

    public Task<OperationPage> ListAsync(ListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > QueueReads.MaxPageSize)
        {
            throw OperationInputRules.Invalid($"limit: must be between 1 and {QueueReads.MaxPageSize}");
        }

        OperationInputRules.ValidateKey(query.EntityId, "entityId");
        return ReadAsync(reader => QueueReads.List(reader, WorkspaceId, query), cancellationToken, consistent: true);
    }

    public Task<OperationDetails?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        ReadAsync(reader => QueueReads.Get(reader, WorkspaceId, id), cancellationToken, consistent: true);

    public Task<int> RetryAsync(IReadOnlyList<string>? ids, bool allFailed, CancellationToken cancellationToken = default) =>
        store.Writer.RunAsync(session => QueueWrites.Retry(session, WorkspaceId, ids, allFailed), cancellationToken);

    public Task<int> DiscardAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return store.Writer.RunAsync(session => QueueWrites.Discard(session, WorkspaceId, ids), cancellationToken);
    }

    public Task<Operation> UpdatePayloadAsync(string id, string payloadJson, CancellationToken cancellationToken = default)
    {
        var payloadBytes = OperationInputRules.ValidatePayload(payloadJson, store.MaxPayloadBytes);
        return AddingUserData(
            payloadBytes,
            () => store.Writer.RunAsync(session => QueueWrites.UpdatePayload(session, WorkspaceId, id, payloadJson, payloadBytes), cancellationToken));
    }

    public Task<Operation> PrioritizeAsync(string id, CancellationToken cancellationToken = default) =>
        store.Writer.RunAsync(session => QueueWrites.Prioritize(session, WorkspaceId, id), cancellationToken);

    public Task<int> ClearAsync(IReadOnlyList<OperationStatus>? statuses, CancellationToken cancellationToken = default) =>
        store.Writer.RunAsync(session => QueueWrites.Clear(session, WorkspaceId, statuses), cancellationToken);

    public Task<int> ExportAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var exportedAt = store.Time.GetUtcNow();
        // Large queues take a while to stream; keep it off the caller's thread.
        return Task.Run(
            () => Transfer(() => store.Readers.Read(reader => ExportFileWriter.Write(reader, WorkspaceId, path, exportedAt, store.Blobs))),
            cancellationToken);
    }

    public async Task<ImportResult> ImportAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var operations = await Task.Run(() => ExportFileReader.Read(path, store.MaxPayloadBytes, store.Blobs, store.Owner), cancellationToken).ConfigureAwait(false);
        try
        {
            return await AddingUserData(
                operations.Sum(static operation => operation.PayloadBytes + (operation.Attachments?.Sum(static a => a.Reference.Size) ?? 0)),
                () => store.Writer.RunAsync(session => QueueWrites.Import(session, WorkspaceId, operations, store.Blobs), cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            foreach (var attachment in operations.SelectMany(static o => o.Attachments ?? []))
            {
                attachment.DeleteIfLeft();
            }
        }
    }

    public Task<int> RecoverInterruptedAsync(CancellationToken cancellationToken = default) =>
        store.Writer.RunAsync(session => SyncWrites.RecoverInterrupted(session, WorkspaceId), cancellationToken, redoable: true);

    public Task<IReadOnlyList<Operation>> ClaimEligibleAsync(int max, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (max == 0)
        {
            return Task.FromResult<IReadOnlyList<Operation>>([]);
        }

        return store.Writer.RunAsync<IReadOnlyList<Operation>>(
            session => SyncWrites.ClaimEligible(session, WorkspaceId, max, now), cancellationToken, redoable: true);
    }

    public Task<int> ReleaseUnsentAsync(IReadOnlyList<Operation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return operations.Count == 0
            ? Task.FromResult(0)
            : store.Writer.RunAsync(session => SyncWrites.ReleaseUnsent(session, WorkspaceId, operations), cancellationToken, redoable: true);
    }

    public Task ApplyOutcomesAsync(IReadOnlyList<OperationOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return outcomes.Count == 0
            ? Task.CompletedTask
            : ApplyOutcomes(outcomes, store.Cache(WorkspaceId).AccessClock, cancellationToken);
    }

    private Task ApplyOutcomes(IReadOnlyList<OperationOutcome> outcomes, long accessSeq, CancellationToken cancellationToken) =>
        store.Writer.RunAsync(session => SyncWrites.ApplyOutcomes(session, WorkspaceId, outcomes, accessSeq), cancellationToken, redoable: true);

    public Task<DateTimeOffset?> GetNextDueAtAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(reader => QueueReads.NextDueAt(reader, WorkspaceId), cancellationToken);

    public Task<bool> HasEligibleAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ReadAsync(reader => QueueReads.HasEligible(reader, WorkspaceId, now), cancellationToken);

    public Task<ServerClockEstimate?> GetServerClockAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(reader => ServerClockRow.Read(reader, WorkspaceId), cancellationToken);

    /// <summary>Redoable: an estimate a power cut forgets is measured again at the next probe.</summary>
    public Task SaveServerClockAsync(ServerClockEstimate estimate, CancellationToken cancellationToken = default) =>
        store.Writer.RunAsync(
            session =>
            {
                ServerClockRow.Write(session, WorkspaceId, estimate);
                return true;
            },
            cancellationToken,
            redoable: true);

    public Task<int> PruneSucceededAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default) =>
        store.Writer.RunAsync(session => SyncWrites.PruneSucceeded(session, WorkspaceId, olderThan), cancellationToken, redoable: true);

    public Task<Operation?> ResolveConflictAsync(
        string id, ConflictResolution resolution, string? mergedPayloadJson, CancellationToken cancellationToken = default)
    {
        var mergedBytes = 0;
        if (resolution == ConflictResolution.Merge)
        {
            mergedBytes = OperationInputRules.ValidatePayload(mergedPayloadJson, store.MaxPayloadBytes);
        }

        return store.Writer.RunAsync(
            session => SyncWrites.ResolveConflict(session, WorkspaceId, id, resolution, mergedPayloadJson, mergedBytes), cancellationToken);
    }

    public Task<bool> TryAcquireLeaseAsync(string owner, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return store.Writer.RunAsync(
            session => SyncWrites.TryAcquireLease(session, WorkspaceId, owner, duration, now), cancellationToken, redoable: true);
    }

    public Task ReleaseLeaseAsync(string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return store.Writer.RunAsync(
            session =>
            {
                SyncWrites.ReleaseLease(session, WorkspaceId, owner);
                return true;
            },
            cancellationToken,
            redoable: true);
    }

    public Stream? OpenBlob(string sha256) => store.Blobs.Open(sha256);

    public Task<long> GetChangeStampAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(store.ChangeStamps.Read());
    }

    /// <summary>New user intent (enqueue, import, a new payload) is refused when the disk is nearly full; removing work,
    /// reads, export and the sync worker's bookkeeping are not, since they free space or need none.</summary>
    private Task<T> AddingUserData<T>(long bytes, Func<Task<T>> write) =>
        store.Space is { } space ? space.GuardAsync(bytes, write) : write();

    private NewOperation Validate(EnqueueRequest request)
    {
        OperationInputRules.ValidateType(request.Type);
        var payloadBytes = OperationInputRules.ValidatePayload(request.PayloadJson, store.MaxPayloadBytes);
        OperationInputRules.ValidateKey(request.EntityId, "entityId");
        if (DocumentTypes.IsDocument(request.Type) && request.EntityId is not null)
        {
            // The documents workspace shows these as files: an id that is no path could never be opened or fixed there.
            // (A missing one is the server's to refuse, as for any type that needs an entity.)
            DocumentIds.Validate(request.EntityId, "entityId");
        }

        OperationInputRules.ValidateKey(request.DedupKey, "dedupKey");
        OperationInputRules.ValidateKey(request.IdempotencyKey, "idempotencyKey");
        if (!Enum.IsDefined(request.Priority))
        {
            throw OperationInputRules.Invalid("priority: must be high, normal or low");
        }

        OperationInputRules.ValidateKey(request.ClientTraceId, "clientTraceId");
        var now = store.Time.GetUtcNow();
        var expiresAt = OperationInputRules.ValidateExpiry(request.ExpiresAt, request.TimeToLive, now);
        var id = store.Ids.Next();
        return new NewOperation(
            id,
            request.Type,
            request.EntityId,
            request.PayloadJson,
            payloadBytes,
            request.IdempotencyKey ?? id,
            request.DedupKey,
            request.ExpectedVersion,
            request.Priority,
            now,
            expiresAt,
            request.ClientTraceId);
    }

    private Task<T> ReadAsync<T>(Func<StatementCache, T> read, CancellationToken cancellationToken, bool consistent = false) =>
        store.Readers.ReadAsync(read, cancellationToken, consistent);

    private static T Transfer<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new QueueException(QueueErrorKind.StorageFailure, $"storage failure: cannot write the export: {error.Message}", error);
        }
    }
}

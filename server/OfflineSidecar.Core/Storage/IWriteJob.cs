namespace OfflineSidecar.Core.Storage;

/// <summary>
/// One caller's piece of a group-commit transaction. The writer records each job's outcome while the transaction
/// runs (<see cref="Refuse"/>, <see cref="Fail"/>, <see cref="Cancel"/>, or nothing for success) and publishes all of
/// them with <see cref="Complete"/> only after COMMIT (or rollback), off the writer thread.
/// </summary>
internal interface IWriteJob
{
    /// <summary>Jobs that may refuse (not found, invalid state) run inside a savepoint so a refusal
    /// undoes only their own writes; enqueues are validated beforehand and skip that cost.</summary>
    bool UsesSavepoint { get; }

    /// <summary>
    /// A power cut may forget this job's effect without breaking a promise, because the sync worker redoes it: a
    /// forgotten claim leaves its operations pending; a forgotten outcome leaves them syncing, turned back to pending at
    /// start and resent, and the idempotency key makes the server answer <c>duplicate</c> instead of applying twice.
    /// Nothing the user was told is done (enqueue, retry, discard, resolve…) is redoable.
    /// </summary>
    bool IsRedoable { get; }

    bool IsCancellationRequested { get; }

    void Execute(WriteSession session);

    /// <summary>The job's own writes were rolled back; it ends with this error whatever becomes of the transaction.</summary>
    void Refuse(Exception refusal);

    /// <summary>The transaction failed: unless already refused, the job ends with this error.</summary>
    void Fail(Exception error);

    void Cancel();

    /// <summary>Makes the recorded outcome (result, error or cancellation) visible to the caller.</summary>
    void Complete();
}

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

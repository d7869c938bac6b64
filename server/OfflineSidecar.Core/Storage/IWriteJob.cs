namespace OfflineSidecar.Core.Storage;

/// <summary>One caller's piece of a group-commit transaction. Completed only after COMMIT (or failed).</summary>
internal interface IWriteJob
{
    /// <summary>Jobs that may refuse (not found, invalid state) run inside a savepoint so a refusal
    /// undoes only their own writes; enqueues are validated beforehand and skip that cost.</summary>
    bool UsesSavepoint { get; }

    bool IsCancellationRequested { get; }

    void Execute(WriteSession session);

    void Commit();

    void Fail(Exception error);

    void Cancel();
}

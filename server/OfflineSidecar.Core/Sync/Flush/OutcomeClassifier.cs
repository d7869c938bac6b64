using System.Globalization;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync.Flush;

/// <summary>
/// Decides what one delivery attempt means for each operation: done, conflicting, failed for good, or pending
/// again with its next attempt time. Pure: the time of the attempt is passed in, never read.
/// </summary>
public sealed class OutcomeClassifier
{
    private readonly int maxAttempts;
    private readonly RetrySchedule schedule;

    public OutcomeClassifier(int maxAttempts, RetrySchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        this.maxAttempts = Math.Max(1, maxAttempts);
        this.schedule = schedule;
    }

    /// <summary>Outcomes of a whole batch. A multi-operation 413/400 should be split and resent instead; if it is
    /// classified anyway, its operations are retried rather than blamed for a neighbour.</summary>
    public IReadOnlyList<OperationOutcome> Classify(IReadOnlyList<Operation> operations, SendBatchResult result, DateTimeOffset startedAt, DateTimeOffset finishedAt)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(result);
        var outcomes = new List<OperationOutcome>(operations.Count);
        if (result.Kind == SendBatchResultKind.Ok)
        {
            var byId = new Dictionary<string, CommandResult>(StringComparer.Ordinal);
            foreach (var commandResult in result.Results)
            {
                byId.TryAdd(commandResult.CommandId, commandResult);
            }

            foreach (var operation in operations)
            {
                outcomes.Add(byId.TryGetValue(operation.Id, out var commandResult)
                    ? FromCommandResult(operation, commandResult, startedAt, finishedAt)
                    : Retryable(operation, AttemptOutcomes.Error, new OperationError(SyncErrorCodes.MissingResult, "The server's answer did not mention this operation."), null, startedAt, finishedAt));
            }

            return outcomes;
        }

        foreach (var operation in operations)
        {
            outcomes.Add(FromRequestFailure(operation, result, operations.Count == 1, startedAt, finishedAt));
        }

        return outcomes;
    }

    public OperationOutcome FromCommandResult(Operation operation, CommandResult result, DateTimeOffset startedAt, DateTimeOffset finishedAt)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(result);
        switch (result.Status)
        {
            case CommandStatus.Applied:
            case CommandStatus.Duplicate:
                return new OperationOutcome
                {
                    Id = operation.Id,
                    NewStatus = OperationStatus.Succeeded,
                    AttemptOutcome = result.Status == CommandStatus.Applied ? AttemptOutcomes.Applied : AttemptOutcomes.Duplicate,
                    StartedAt = startedAt,
                    FinishedAt = finishedAt,
                    ServerVersion = result.Version,
                };
            case CommandStatus.Conflict:
                var serverVersion = result.Server?.Version ?? result.Version ?? 0;
                return new OperationOutcome
                {
                    Id = operation.Id,
                    NewStatus = OperationStatus.Conflict,
                    AttemptOutcome = AttemptOutcomes.Conflict,
                    StartedAt = startedAt,
                    FinishedAt = finishedAt,
                    ServerVersion = serverVersion,
                    Error = new OperationError(result.Code ?? "conflict", result.Message ?? ConflictMessage(operation, serverVersion)),
                    Conflict = new ConflictSnapshot(serverVersion, result.Server?.PayloadJson, finishedAt),
                };
            case CommandStatus.Rejected:
                return Rejected(operation, new OperationError(result.Code ?? SyncErrorCodes.Rejected, result.Message ?? "The server rejected the operation."), startedAt, finishedAt);
            default:
                return Retryable(operation, AttemptOutcomes.Retry, new OperationError(result.Code ?? SyncErrorCodes.Retry, result.Message ?? "The server asked to retry later."), null, startedAt, finishedAt);
        }
    }

    /// <summary>Failed at once: retrying a refusal would only be refused again.</summary>
    public OperationOutcome Rejected(Operation operation, OperationError error, DateTimeOffset startedAt, DateTimeOffset finishedAt)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return new OperationOutcome
        {
            Id = operation.Id,
            NewStatus = OperationStatus.Failed,
            AttemptOutcome = AttemptOutcomes.Rejected,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            Error = error,
        };
    }

    /// <summary>Pending again after a backoff, or failed (poison) when this attempt was the last one allowed.</summary>
    public OperationOutcome Retryable(Operation operation, string attemptOutcome, OperationError error, TimeSpan? retryAfter, DateTimeOffset startedAt, DateTimeOffset finishedAt)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(error);
        var attempts = operation.Attempts + 1;
        if (attempts >= maxAttempts)
        {
            return new OperationOutcome
            {
                Id = operation.Id,
                NewStatus = OperationStatus.Failed,
                AttemptOutcome = attemptOutcome,
                StartedAt = startedAt,
                FinishedAt = finishedAt,
                Error = new OperationError(error.Code, string.Create(CultureInfo.InvariantCulture, $"Gave up after {attempts} attempts: {error.Message}")),
            };
        }

        return new OperationOutcome
        {
            Id = operation.Id,
            NewStatus = OperationStatus.Pending,
            AttemptOutcome = attemptOutcome,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            NextAttemptAt = finishedAt + schedule.NextDelay(attempts, retryAfter),
            Error = error,
        };
    }

    /// <summary>Back to pending without using up an attempt: the operation is fine, the credentials (or the access they grant) are not.</summary>
    public static OperationOutcome AuthPaused(Operation operation, OperationError error, DateTimeOffset startedAt, DateTimeOffset finishedAt)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return new OperationOutcome
        {
            Id = operation.Id,
            NewStatus = OperationStatus.Pending,
            AttemptOutcome = AttemptOutcomes.Error,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            CountsAsAttempt = false,
            Error = error,
        };
    }

    /// <summary>Failed without being sent: it was not delivered by its expiry. No attempt is counted.</summary>
    public static OperationOutcome Expired(Operation operation, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return new OperationOutcome
        {
            Id = operation.Id,
            NewStatus = OperationStatus.Failed,
            AttemptOutcome = AttemptOutcomes.Error,
            StartedAt = now,
            FinishedAt = now,
            CountsAsAttempt = false,
            Error = new OperationError(
                SyncErrorCodes.Expired,
                string.Create(CultureInfo.InvariantCulture, $"Expired at {expiresAt:yyyy-MM-dd'T'HH:mm:ss'Z'} before it could be delivered; not sent. Retry sends it anyway.")),
        };
    }

    /// <summary>The error a whole-request failure leaves on each operation of the batch.</summary>
    public static OperationError RequestError(SendBatchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var status = result.StatusCode is { } code ? string.Create(CultureInfo.InvariantCulture, $"HTTP {code}") : null;
        var detail = result.Message ?? status ?? result.Kind.ToString();
        return result.Kind switch
        {
            SendBatchResultKind.AuthFailed => new OperationError(SyncErrorCodes.Unauthorized, $"Not authorized ({status}): {detail}"),
            SendBatchResultKind.Forbidden => new OperationError(SyncErrorCodes.Forbidden, $"Access revoked ({status}): {detail}"),
            SendBatchResultKind.TooLarge => new OperationError(SyncErrorCodes.PayloadTooLarge, $"Too large for the server: {detail}"),
            SendBatchResultKind.BadRequest => new OperationError(SyncErrorCodes.BadRequest, $"The server refused the request: {detail}"),
            SendBatchResultKind.Throttled => new OperationError(SyncErrorCodes.Throttled, $"Server busy ({status}): {detail}"),
            SendBatchResultKind.ServerError => new OperationError(SyncErrorCodes.ServerError, $"Server error ({status}): {detail}"),
            _ => new OperationError(result.TimedOut ? SyncErrorCodes.Timeout : SyncErrorCodes.Network, detail),
        };
    }

    private OperationOutcome FromRequestFailure(Operation operation, SendBatchResult result, bool alone, DateTimeOffset startedAt, DateTimeOffset finishedAt)
    {
        var error = RequestError(result);
        return result.Kind switch
        {
            SendBatchResultKind.AuthFailed or SendBatchResultKind.Forbidden => AuthPaused(operation, error, startedAt, finishedAt),
            SendBatchResultKind.TooLarge or SendBatchResultKind.BadRequest when alone => Rejected(operation, error, startedAt, finishedAt),
            SendBatchResultKind.Throttled => Retryable(operation, AttemptOutcomes.Retry, error, result.RetryAfter, startedAt, finishedAt),
            // A 503's Retry-After is the server's word on when it will take work again: a lower bound here too.
            _ => Retryable(operation, AttemptOutcomes.Error, error, result.RetryAfter, startedAt, finishedAt),
        };
    }

    private static string ConflictMessage(Operation operation, long serverVersion) =>
        string.Create(CultureInfo.InvariantCulture, $"The server has version {serverVersion}; this change expected {(operation.ExpectedVersion is { } v ? v.ToString(CultureInfo.InvariantCulture) : "none")}.");
}

using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using System.Data.Common;
using OfflineSync.Server.Commands;
using OfflineSync.Server.Faults;
using OfflineSync.Server.Hosting;
using OfflineSync.Server.Stats;
using OfflineSync.Server.Storage;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Sync;

/// <summary>POST /sync/commands: applies a batch command by command and answers one result per command.</summary>
internal sealed class CommandsEndpoint(
    ISyncStore store, ISyncStoreReader reader, SyncRequestGate gate, FaultState faults, ServerStats stats, ReportedClock clock, SyncServerOptions options, CommandTraceLog traces, CommandRequestLog commandLog)
{
    public async Task HandleAsync(HttpContext context)
    {
        var receivedAt = commandLog.Now;
        stats.CountRequest();
        stats.CountCommandRequest();
        if (!await gate.PassAccessAsync(context))
        {
            return;
        }

        if (context.Request.ContentLength > options.MaxBodyBytes + RequestBody.DrainBytes)
        {
            await WriteBodyTooLargeAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = options.MaxBodyBytes + RequestBody.DrainBytes;
        }

        CommandBatchRequest? batch;
        try
        {
            using var body = await RequestBody.ReadAsync(context.Request, options.MaxBodyBytes, context.RequestAborted);
            if (body is null)
            {
                await WriteBodyTooLargeAsync(context);
                return;
            }

            batch = RawJsonSource.Deserialize(body.WrittenMemory, SyncJsonContext.Default.CommandBatchRequest);
        }
        catch (JsonException exception)
        {
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, $"body: {exception.Message}");
            return;
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteBodyTooLargeAsync(context);
            return;
        }

        if (BatchEnvelopeValidator.Check(batch, options.MaxBatchCommands) is { } problem)
        {
            await HttpResponses.WriteErrorAsync(context, problem.StatusCode, problem.Code, problem.Message);
            return;
        }

        var account = SyncRequestGate.AccountOf(context);
        var results = await ApplyAsync(batch!, account, context.RequestAborted);
        if (results is null)
        {
            await HttpResponses.WriteRetryLaterAsync(
                context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StorageUnavailable, "storage failed; nothing was applied", faults.Current.RetryAfterSeconds);
            commandLog.Add(batch!, null, receivedAt, "storageFailed");
            return;
        }

        stats.CountResults(results);
        traces.Write(batch!.Commands!, results, account);
        if (faults.Roll(faults.Current.DropAfterApplyRate))
        {
            // Committed but never answered: the client must resend and get duplicates back.
            stats.CountDroppedAfterApply();
            context.Abort();
            commandLog.Add(batch!, results, receivedAt, "dropped");
            return;
        }

        var response = new CommandBatchResponse(clock.Now.UtcDateTime, results);
        await HttpResponses.WriteBufferedJsonAsync(context, StatusCodes.Status200OK, response, SyncJsonContext.Default.CommandBatchResponse);
        commandLog.Add(batch!, results, receivedAt, "answered");
    }

    /// <returns>One result per command in request order, or null when the batch's transaction failed.</returns>
    private async Task<CommandResult[]?> ApplyAsync(CommandBatchRequest batch, string accountId, CancellationToken cancellationToken)
    {
        var commands = batch.Commands!;
        var results = new CommandResult[commands.Count];
        var toApply = new List<DocumentCommand>(commands.Count);
        var applyIndexes = new List<int>(commands.Count);
        var retryRate = faults.Current.PerCommandRetryRate;
        for (var i = 0; i < commands.Count; i++)
        {
            var command = commands[i]!;
            var commandId = command.CommandId!;
            if (faults.Roll(retryRate))
            {
                results[i] = new CommandResult
                {
                    CommandId = commandId,
                    Status = CommandStatuses.Retry,
                    Code = ResultCodes.InjectedRetry,
                    Message = "transient failure (injected); send again",
                };
                continue;
            }

            if (CommandValidator.Validate(commandId, command, out var rejection) is { } valid)
            {
                toApply.Add(valid);
                applyIndexes.Add(i);
            }
            else
            {
                results[i] = rejection!;
            }
        }

        try
        {
            RejectMissingAttachments(batch.WorkspaceId!, commands, results, toApply, applyIndexes);
        }
        catch (DbException)
        {
            return null;
        }

        if (toApply.Count > 0)
        {
            CommandResult[] applied;
            try
            {
                applied = await store.ApplyAsync(batch.WorkspaceId!, accountId, toApply, cancellationToken);
            }
            catch (DbException)
            {
                return null;
            }

            for (var j = 0; j < applied.Length; j++)
            {
                results[applyIndexes[j]] = applied[j];
            }
        }

        return results;
    }

    /// <summary>
    /// A command may name only blobs this workspace holds (the client puts them first): otherwise it is rejected, for
    /// good, without touching its entity. Blobs are never deleted, so a check before the write stays true.
    /// </summary>
    private void RejectMissingAttachments(
        string workspaceId, IReadOnlyList<SyncCommand?> commands, CommandResult[] results, List<DocumentCommand> toApply, List<int> applyIndexes)
    {
        var named = applyIndexes.SelectMany(i => commands[i]!.Attachments ?? []).Select(static a => a!.Sha256!).Distinct().ToList();
        if (named.Count == 0)
        {
            return;
        }

        var missing = reader.MissingBlobs(workspaceId, named);
        if (missing.Count == 0)
        {
            return;
        }

        for (var j = applyIndexes.Count - 1; j >= 0; j--)
        {
            var command = commands[applyIndexes[j]]!;
            if (command.Attachments?.FirstOrDefault(a => missing.Contains(a!.Sha256!)) is { } absent)
            {
                results[applyIndexes[j]] = new CommandResult
                {
                    CommandId = command.CommandId!,
                    Status = CommandStatuses.Rejected,
                    Code = ResultCodes.AttachmentMissing,
                    Message = $"attachment {absent.Name} ({absent.Sha256}) is not on the server: PUT /sync/blobs/{absent.Sha256} first",
                };
                toApply.RemoveAt(j);
                applyIndexes.RemoveAt(j);
            }
        }
    }

    private Task WriteBodyTooLargeAsync(HttpContext context) =>
        HttpResponses.WriteErrorAsync(
            context, StatusCodes.Status413PayloadTooLarge, ErrorCodes.BodyTooLarge, $"body: at most {options.MaxBodyBytes} bytes");
}

using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using System.Data.Common;
using OfflineSync.Server.Commands;
using OfflineSync.Server.Faults;
using OfflineSync.Server.Hosting;
using OfflineSync.Server.Stats;
using OfflineSync.Server.Storage;

namespace OfflineSync.Server.Sync;

/// <summary>
/// /sync/blobs/{sha256}?workspaceId=: attachment contents, named by their SHA-256. PUT stores one (the server checks
/// the hash; 201 new, 200 already held: idempotent), HEAD tells whether it is held, GET returns it.
/// </summary>
internal sealed class BlobsEndpoint(
    ISyncStore store, ISyncStoreReader reader, SyncRequestGate gate, FaultState faults, ServerStats stats, SyncServerOptions options)
{
    public async Task ReadAsync(HttpContext context, string sha256)
    {
        stats.CountRequest();
        if (!await gate.PassAccessAsync(context) || await RefuseAddressAsync(context, sha256) is not { } workspaceId)
        {
            return;
        }

        // HEAD is what a client asks before every upload: it must not read the blob, which can be tens of megabytes.
        bool head = HttpMethods.IsHead(context.Request.Method);
        byte[]? content = null;
        long? size;
        try
        {
            size = head ? reader.BlobSize(workspaceId, sha256) : (content = reader.ReadBlob(workspaceId, sha256))?.Length;
        }
        catch (DbException)
        {
            await WriteStorageFailedAsync(context);
            return;
        }

        if (size is null)
        {
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"no blob {sha256} in workspace '{workspaceId}'");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = size;
        if (content is not null)
        {
            await context.Response.Body.WriteAsync(content, context.RequestAborted);
        }
    }

    public async Task PutAsync(HttpContext context, string sha256)
    {
        stats.CountRequest();
        if (!await gate.PassAccessAsync(context) || await RefuseAddressAsync(context, sha256) is not { } workspaceId)
        {
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = options.MaxBlobBytes + RequestBody.DrainBytes;
        }

        PooledBufferWriter? body;
        try
        {
            body = await RequestBody.ReadAsync(context.Request, options.MaxBlobBytes, context.RequestAborted);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }

        if (body is null)
        {
            await HttpResponses.WriteErrorAsync(
                context, StatusCodes.Status413PayloadTooLarge, ErrorCodes.BodyTooLarge, $"blob: at most {options.MaxBlobBytes} bytes");
            return;
        }

        using (body)
        {
            if (Convert.ToHexStringLower(SHA256.HashData(body.WrittenMemory.Span)) != sha256)
            {
                await HttpResponses.WriteErrorAsync(
                    context, StatusCodes.Status400BadRequest, ErrorCodes.HashMismatch, "the body's SHA-256 is not the one in the address");
                return;
            }

            bool created;
            try
            {
                created = await store.PutBlobAsync(workspaceId, sha256, body.WrittenMemory, context.RequestAborted);
            }
            catch (DbException)
            {
                await WriteStorageFailedAsync(context);
                return;
            }

            context.Response.StatusCode = created ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        }
    }

    /// <returns>The workspace, or null after answering 400 for a malformed address.</returns>
    private static async Task<string?> RefuseAddressAsync(HttpContext context, string sha256)
    {
        var workspaceId = context.Request.Query["workspaceId"].ToString();
        if (workspaceId.Length == 0 || !BlobNames.IsValid(sha256))
        {
            await HttpResponses.WriteErrorAsync(
                context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, "workspaceId: required; the address names a SHA-256 in lowercase hex");
            return null;
        }

        return workspaceId;
    }

    private Task WriteStorageFailedAsync(HttpContext context) =>
        HttpResponses.WriteRetryLaterAsync(
            context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StorageUnavailable, "storage failed", faults.Current.RetryAfterSeconds);
}

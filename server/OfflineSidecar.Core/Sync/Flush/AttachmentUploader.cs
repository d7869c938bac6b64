using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync.Flush;

/// <summary>
/// Puts the blobs a batch's operations carry on the server before the batch itself, which only names them by hash.
/// A blob the server already holds costs one HEAD; the same content is sent once per batch.
/// </summary>
internal sealed class AttachmentUploader(ISyncStore store)
{
    /// <returns>Null when the batch may go; otherwise the whole-request failure that stops it (offline, auth, 5xx, 429).</returns>
    public async Task<SendBatchResult?> UploadAsync(
        ISyncTransport sender, string workspaceId, string? token, IReadOnlyList<Operation> batch, CancellationToken cancellationToken)
    {
        HashSet<string>? sent = null;
        foreach (var operation in batch)
        {
            foreach (var attachment in operation.Attachments)
            {
                if (!(sent ??= new HashSet<string>(StringComparer.Ordinal)).Add(attachment.Sha256))
                {
                    continue;
                }

                // A local copy gone (deleted by hand) comes back BadRequest: sending the command anyway lets the server refuse
                // it (attachment_missing), which fails this operation alone with a clear error instead of holding the queue.
                // So does a refusal of this content (400, 413).
                var sha256 = attachment.Sha256;
                var answer = await sender.PutBlobAsync(workspaceId, token, attachment, () => store.OpenBlob(sha256), cancellationToken).ConfigureAwait(false);
                if (answer.Kind is not (SendBatchResultKind.Ok or SendBatchResultKind.BadRequest or SendBatchResultKind.TooLarge))
                {
                    return answer;
                }
            }
        }

        return null;
    }
}

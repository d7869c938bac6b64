using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Sync;

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

                // Gone locally (deleted by hand): sending the command anyway lets the server refuse it (attachment_missing),
                // which fails this operation alone with a clear error instead of holding the whole queue.
                if (await store.ReadBlobAsync(attachment.Sha256, cancellationToken).ConfigureAwait(false) is not { } content)
                {
                    continue;
                }

                var answer = await sender.PutBlobAsync(workspaceId, token, attachment, content, cancellationToken).ConfigureAwait(false);
                // A refusal of this content (400, 413) is the command's: the server then refuses the command that needs it.
                if (answer.Kind is not (SendBatchResultKind.Ok or SendBatchResultKind.BadRequest or SendBatchResultKind.TooLarge))
                {
                    return answer;
                }
            }
        }

        return null;
    }
}

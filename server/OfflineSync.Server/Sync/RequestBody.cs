using System.Buffers;

namespace OfflineSync.Server.Sync;

internal static class RequestBody
{
    private const int UndeclaredInitialBytes = 16 * 1024;

    /// <summary>
    /// How far past the limit a body is still read (and thrown away) so that its 413 reaches the client. Answering
    /// while the client is still sending makes Kestrel close the connection under it, and the client then sees a
    /// reset instead of the 413 that tells it to send smaller batches. Bounded, so nobody can make us read forever.
    /// </summary>
    public const long DrainBytes = 1024 * 1024;

    /// <summary>
    /// Copies the whole body from Kestrel's request pipe into one pooled buffer, so that it is then parsed in a
    /// single synchronous pass. Parsing while the body streams in made the serializer suspend and resume its
    /// converters at every buffer boundary, which cost more than the copy. A body over <paramref name="maxBytes"/> is
    /// read to its end but not kept: the result is then null. Kestrel's own limit (set per request to
    /// <paramref name="maxBytes"/> + <see cref="DrainBytes"/>) stops one beyond that (BadHttpRequestException, 413).
    /// </summary>
    /// <returns>The body, or null when it was over the limit; the caller disposes it.</returns>
    public static async Task<PooledBufferWriter?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength;
        // A body declared over the limit is only drained, so it gets no buffer.
        var body = declared > maxBytes
            ? null
            : new PooledBufferWriter(declared is > 0 and <= int.MaxValue ? (int)declared.Value : UndeclaredInitialBytes);
        try
        {
            var reader = request.BodyReader;
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                if (body is not null && body.WrittenCount + result.Buffer.Length > maxBytes)
                {
                    body.Dispose();
                    body = null;
                }
                else if (body is not null)
                {
                    foreach (var segment in result.Buffer)
                    {
                        body.Write(segment.Span);
                    }
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return body;
                }
            }
        }
        catch
        {
            body?.Dispose();
            throw;
        }
    }
}

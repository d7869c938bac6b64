using System.Buffers;

namespace OfflineSync.Server.Sync;

internal static class RequestBody
{
    private const int UndeclaredInitialBytes = 16 * 1024;

    /// <summary>
    /// Copies the whole body from Kestrel's request pipe into one pooled buffer, so that it is then parsed in a
    /// single synchronous pass. Parsing while the body streams in made the serializer suspend and resume its
    /// converters at every buffer boundary, which cost more than the copy. Kestrel still enforces the body size
    /// limit while reading (BadHttpRequestException with status 413).
    /// </summary>
    /// <returns>The body; the caller disposes it.</returns>
    public static async Task<PooledBufferWriter> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength;
        var body = new PooledBufferWriter(declared is > 0 and <= int.MaxValue ? (int)declared.Value : UndeclaredInitialBytes);
        try
        {
            var reader = request.BodyReader;
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                foreach (var segment in result.Buffer)
                {
                    body.Write(segment.Span);
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
            body.Dispose();
            throw;
        }
    }
}

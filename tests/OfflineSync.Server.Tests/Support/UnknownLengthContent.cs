using System.Net;

namespace OfflineSync.Server.Tests.Support;

/// <summary>Content sent chunked, without Content-Length, so the server must enforce its limit while reading.</summary>
internal sealed class UnknownLengthContent(byte[] bytes) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

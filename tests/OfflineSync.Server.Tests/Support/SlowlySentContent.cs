using System.Net;

namespace OfflineSync.Server.Tests.Support;

/// <summary>
/// A body with a declared length whose second half leaves only after a pause: the server has read the headers and
/// answered long before the client has finished sending, which is what a large batch on a slow link looks like.
/// </summary>
internal sealed class SlowlySentContent(byte[] bytes, TimeSpan pause) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var half = bytes.Length / 2;
        await stream.WriteAsync(bytes.AsMemory(0, half));
        await stream.FlushAsync();
        await Task.Delay(pause);
        await stream.WriteAsync(bytes.AsMemory(half));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = bytes.Length;
        return true;
    }
}

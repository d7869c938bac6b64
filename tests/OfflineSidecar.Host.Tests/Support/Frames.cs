using System.Text;

namespace OfflineSidecar.Host.Tests.Support;

internal static class Frames
{
    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    /// <summary>A well-formed frame around a UTF-8 body.</summary>
    public static byte[] Of(string json)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        return [.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), .. body];
    }
}

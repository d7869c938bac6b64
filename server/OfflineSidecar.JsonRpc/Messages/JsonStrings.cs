using System.Text.Json;

namespace OfflineSidecar.JsonRpc.Messages;

/// <summary>
/// Reads a JSON string member that may not be text: invalid UTF-8, or a valid escape of a lone surrogate
/// (<c>"\ud800"</c>), is well-formed JSON that <see cref="JsonElement.GetString"/> refuses with an exception. A frame
/// carrying one must get an error answer, not end the read loop.
/// </summary>
internal static class JsonStrings
{
    public static bool TryRead(JsonElement element, out string text)
    {
        text = "";
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            text = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

using System.Buffers;
using System.Text.Json;

namespace OfflineSidecar.Bench.Rpc;

/// <summary>
/// Reads just enough of a frame body to route it: the numeric id and whether it is a result or an error. The sidecar
/// writes jsonrpc, id, then result/error, so this stops after a handful of tokens.
/// </summary>
internal static class ReplyPeek
{
    /// <summary>False for anything that is not a response with an integer id (requests, notifications).</summary>
    public static bool TryRead(ReadOnlySequence<byte> body, out long id, out bool isError)
    {
        id = 0;
        isError = false;
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var hasId = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out id))
                {
                    return false;
                }

                hasId = true;
                continue;
            }

            if (reader.ValueTextEquals("result"u8) || reader.ValueTextEquals("error"u8))
            {
                isError = reader.ValueTextEquals("error"u8);
                return hasId;
            }

            if (reader.ValueTextEquals("method"u8))
            {
                return false;
            }

            reader.Read();
            reader.Skip();
        }

        return false;
    }
}

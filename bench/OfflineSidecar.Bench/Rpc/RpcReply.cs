using System.Text.Json;

namespace OfflineSidecar.Bench.Rpc;

/// <summary>An answer from the sidecar; <see cref="ReceivedAt"/> is the Stopwatch timestamp taken when its frame was read.</summary>
internal sealed class RpcReply(JsonDocument document, long receivedAt) : IDisposable
{
    public long ReceivedAt { get; } = receivedAt;

    public bool IsError => document.RootElement.TryGetProperty("error", out _);

    /// <summary>The result; throws with the error's code and message when the call failed.</summary>
    public JsonElement Result
    {
        get
        {
            if (document.RootElement.TryGetProperty("result", out var result))
            {
                return result;
            }

            var error = document.RootElement.GetProperty("error");
            throw new InvalidOperationException($"JSON-RPC error {error.GetProperty("code").GetInt32()}: {error.GetProperty("message").GetString()}");
        }
    }

    public void Dispose() => document.Dispose();
}

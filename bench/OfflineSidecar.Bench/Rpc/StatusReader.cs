using System.Text.Json;

namespace OfflineSidecar.Bench.Rpc;

/// <summary>Reads queue counts out of getStatus / statusChanged / queueChanged / syncEvent params.</summary>
internal static class StatusReader
{
    public static async Task<long> PendingAsync(RpcClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var reply = await client.CallAsync("offlineSync/getStatus", RequestWriters.Empty);
        return Count(reply.Result, "pending");
    }

    public static long Count(JsonElement holder, string status) =>
        holder.TryGetProperty("counts", out var counts) && counts.TryGetProperty(status, out var value) ? value.GetInt64() : -1;
}

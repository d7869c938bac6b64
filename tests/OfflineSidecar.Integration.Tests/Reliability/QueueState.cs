using System.Text.Json.Nodes;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Reliability;

internal static class QueueState
{
    public static long Count(JsonNode status, string state) => status["counts"]![state]!.GetValue<long>();

    /// <summary>Nothing left to send and nothing stuck: everything stored reached the server (or was answered).</summary>
    public static bool Drained(JsonNode status) =>
        Count(status, "pending") == 0 && Count(status, "syncing") == 0 && Count(status, "failed") == 0 && Count(status, "conflict") == 0;

    /// <summary>Waits (generously, for a loaded machine) until the sidecar drained its queue.</summary>
    public static Task WaitDrainedAsync(SidecarProcess sidecar, int timeoutSeconds = 300) =>
        Wait.UntilAsync(async () => Drained(await sidecar.GetStatusAsync()), "the queue drained", timeoutSeconds);
}

using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>What a sidecar was doing, read from the notifications it sent so far.</summary>
internal static class SidecarActivity
{
    private const string PullToken = "offline-sidecar/pull/";

    /// <summary>A long pull (more than a page) reported progress and has not ended.</summary>
    public static bool Pulling(SidecarProcess sidecar) =>
        sidecar.All("$/progress")
            .Where(p => p?["token"]?.GetValue<string>()?.StartsWith(PullToken, StringComparison.Ordinal) == true)
            .Select(p => p!["value"]?["kind"]?.GetValue<string>())
            .LastOrDefault() is "begin" or "report";

    public static long Pending(SidecarProcess sidecar) =>
        sidecar.Latest("offlineSync/queueChanged")?["counts"]?["pending"]?.GetValue<long>() ?? 0;
}

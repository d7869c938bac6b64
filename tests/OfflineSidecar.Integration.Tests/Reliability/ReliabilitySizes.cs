using System.Globalization;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>
/// How long each reliability run goes on: the CI sizes by default, the bench sizes from the environment
/// (bench/reliability.sh sets them). One implementation, two sizes.
/// </summary>
internal static class ReliabilitySizes
{
    /// <summary>kill -9s of the crash loop.</summary>
    public static int Kills => Read("RELIABILITY_KILLS", 24);

    /// <summary>Documents on the server before the crash loop's first start, so its first pull is long.</summary>
    public static int SeedDocuments => Read("RELIABILITY_SEED_DOCUMENTS", 5_000);

    /// <summary>Documents another client writes before each pull cycle of the crash loop.</summary>
    public static int PullBurst => Read("RELIABILITY_PULL_BURST", 5_000);

    public static int SoakSeconds => Read("RELIABILITY_SOAK_SECONDS", 60);

    public static int SoakRestartSeconds => Read("RELIABILITY_SOAK_RESTART_SECONDS", 20);

    public static int Windows => Read("RELIABILITY_WINDOWS", 10);

    /// <summary>Leaders killed in the many-windows run.</summary>
    public static int LeaderKills => Read("RELIABILITY_LEADER_KILLS", 8);

    /// <summary>Seeds the runs' random choices (and the server's faults), so a failing run can be repeated.</summary>
    public static int Seed => Read("RELIABILITY_SEED", 18);

    private static int Read(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
}

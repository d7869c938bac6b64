using System.Globalization;
using OfflineSidecar.Integration.Tests.Support;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <param name="Overlaps">Command batches of two different live windows on the wire at once: two flushers.</param>
/// <param name="OverlapsWithTheDead">Overlaps where one sender had been killed already: the server finishing a dead window's request.</param>
/// <param name="Failovers">From each kill to the next batch of another window.</param>
internal sealed record ManyWindowsResult(
    int Windows, int Kills, int Batches, int Flushers, int Overlaps, int OverlapsWithTheDead, IReadOnlyList<TimeSpan> Failovers, int KillsWithoutFailover,
    int UnknownSenders, long LogDropped, LedgerVerdict Verdict, IReadOnlyList<string> Counts, IReadOnlyList<string> Examples, TimeSpan Wall)
{
    public TimeSpan LongestFailover => Failovers.Count == 0 ? TimeSpan.Zero : Failovers.Max();

    public static ManyWindowsResult From(
        int windows, IReadOnlyList<ManyWindows.LeaderKill> kills, CommandLog log, LedgerVerdict verdict, IReadOnlyList<string> counts,
        IReadOnlyList<int> started, TimeSpan wall)
    {
        var batches = log.Requests.Where(r => r.WorkspaceId == ManyWindows.Workspace).OrderBy(r => r.ReceivedAt).ToList();
        var killedAt = kills.ToDictionary(k => k.ClientId, k => k.At, StringComparer.Ordinal);
        var senders = started.Select(pid => string.Create(CultureInfo.InvariantCulture, $"offline-sidecar/{pid}")).ToHashSet(StringComparer.Ordinal);
        var examples = new List<string>();
        int overlaps = 0, withTheDead = 0;
        for (var i = 0; i < batches.Count; i++)
        {
            for (var j = i + 1; j < batches.Count && batches[j].ReceivedAt < batches[i].EndedAt; j++)
            {
                if (batches[i].ClientId == batches[j].ClientId)
                {
                    continue;
                }

                var from = batches[j].ReceivedAt;
                if (KilledBy(killedAt, batches[i].ClientId, from) || KilledBy(killedAt, batches[j].ClientId, from))
                {
                    withTheDead++;
                    continue;
                }

                overlaps++;
                if (examples.Count < 10)
                {
                    examples.Add($"{batches[i].ClientId} {batches[i].ReceivedAt:HH:mm:ss.fff}–{batches[i].EndedAt:HH:mm:ss.fff} and {batches[j].ClientId} from {from:HH:mm:ss.fff}");
                }
            }
        }

        var failovers = new List<TimeSpan>();
        var missing = 0;
        foreach (var kill in kills)
        {
            var next = batches.FirstOrDefault(b => b.ReceivedAt > kill.At && b.ClientId != kill.ClientId);
            if (next is null)
            {
                missing++;
            }
            else
            {
                failovers.Add(next.ReceivedAt - kill.At);
            }
        }

        return new ManyWindowsResult(
            windows, kills.Count, batches.Count, batches.Select(b => b.ClientId).Distinct().Count(), overlaps, withTheDead, failovers, missing,
            batches.Count(b => !senders.Contains(b.ClientId)), log.Dropped, verdict, counts, examples, wall);
    }

    public void Report(ReliabilityReport report, int seed)
    {
        var sorted = Failovers.Order().ToList();
        report.Figure("sidecar", PublishedSidecar.Describe());
        report.Figure("seed", seed);
        report.Figure("windows (sidecars on one data directory and workspace)", Windows);
        report.Figure("leaders killed (kill -9, a new window started in its place)", Kills);
        report.Figure("command batches in the server's log / windows that sent them", $"{Batches} / {Flushers}");
        report.Figure("batches of two live windows on the wire at once", Overlaps);
        report.Figure("… overlapping a killed window's last batch (the server finishing it)", OverlapsWithTheDead);
        report.Figure("batches from a process that is no window", UnknownSenders);
        report.Figure("failover, kill → next batch of another window: median / longest", sorted.Count == 0
            ? "none"
            : string.Create(CultureInfo.InvariantCulture, $"{sorted[sorted.Count / 2].TotalSeconds:0.00} s / {LongestFailover.TotalSeconds:0.00} s (bound {ManyWindows.FailoverBound.TotalSeconds:0.0} s)"));
        report.Figure("kills with no batch after them", KillsWithoutFailover);
        report.Figure("operations sent / acknowledged / applied", $"{Verdict.Sent} / {Verdict.Acknowledged} / {Verdict.Applied}");
        report.Figure("lost / doubled / out of order / unknown", $"{Verdict.Lost} / {Verdict.Doubled} / {Verdict.OutOfOrder} / {Verdict.Unknown}");
        report.Figure("counts in every window afterwards", string.Join(" | ", Counts.Distinct()) + $" ({Counts.Count} windows)");
        report.Figure("wall time", string.Create(CultureInfo.InvariantCulture, $"{Wall.TotalSeconds:0} s"));
        foreach (var example in Examples)
        {
            report.Line($"| overlap | {example} |");
        }

        report.Save();
    }

    private static bool KilledBy(Dictionary<string, DateTimeOffset> killedAt, string clientId, DateTimeOffset moment) =>
        killedAt.TryGetValue(clientId, out var at) && at <= moment;
}

using System.Globalization;

namespace OfflineSidecar.Integration.Tests.Reliability;

/// <param name="AppliedDuringKills">Operations of the callers the server applied before the calm run started.</param>
internal sealed record CrashLoopResult(
    int Kills, int DuringEnqueue, int DuringFlush, int DuringPull, int PullCycles, LedgerVerdict Verdict, int AppliedDuringKills,
    long DuplicatesAnswered, long DroppedAfterApply, bool PullComplete, int CacheCompared, IReadOnlyList<string> CacheDifferences,
    MergeFigures Merge, TimeSpan Killing, TimeSpan Wall)
{
    public double AppliedDuringKillsShare => Verdict.Applied == 0 ? 0 : (double)AppliedDuringKills / Verdict.Applied;

    public void Report(ReliabilityReport report, int seed)
    {
        report.Figure("sidecar", PublishedSidecar.Describe());
        report.Figure("seed", seed);
        report.Figure("kills (kill -9)", Kills);
        report.Figure("… with an enqueue unanswered", DuringEnqueue);
        report.Figure("… with operations syncing (sent, answer not recorded)", DuringFlush);
        report.Figure("… during a long pull", DuringPull);
        report.Figure("pull cycles (another client wrote a burst first)", PullCycles);
        report.Figure("operations sent / acknowledged", $"{Verdict.Sent} / {Verdict.Acknowledged}");
        report.Figure("applied by the server", $"{Verdict.Applied} ({Verdict.AppliedUnacknowledged} of them unacknowledged: cut off by a kill after the commit)");
        report.Figure("applied while kills went on", string.Create(CultureInfo.InvariantCulture, $"{AppliedDuringKills} ({AppliedDuringKillsShare:P1})"));
        report.Figure("answered duplicate by the server (resends)", DuplicatesAnswered);
        report.Figure("answers dropped after apply (fault)", DroppedAfterApply);
        report.Figure("lost / doubled / out of order / unknown", $"{Verdict.Lost} / {Verdict.Doubled} / {Verdict.OutOfOrder} / {Verdict.Unknown}");
        report.Figure("cache documents compared with the server", $"{CacheCompared}, {CacheDifferences.Count} different");
        report.Figure("merge documents: sidecar edits acknowledged / merged three ways / other client's edits", $"{Merge.Edits} / {Merge.Merged} / {Merge.OtherClientWrites}");
        report.Figure("… kills with a merge document's edit on the wire", Merge.KillsWithEditOnTheWire);
        report.Figure("… documents missing either side's last edit", Merge.Problems.Count);
        report.Figure("wall time (kill loop / total)", string.Create(CultureInfo.InvariantCulture, $"{Killing.TotalSeconds:0} s / {Wall.TotalSeconds:0} s"));
        report.Save();
    }
}

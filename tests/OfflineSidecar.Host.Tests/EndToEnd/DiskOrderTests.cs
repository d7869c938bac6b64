using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OfflineSidecar.Host.Tests.Support;

namespace OfflineSidecar.Host.Tests.EndToEnd;

/// <summary>
/// What survives a power cut is what was flushed to the disk, which kill -9 cannot show: the page cache survives a
/// killed process. So this watches the real process's system calls (strace) and checks the order that makes an
/// acknowledgement safe: every write of the enqueue's WAL frames, then a flush of the WAL, then the answer.
/// </summary>
public sealed partial class DiskOrderTests
{
    private const int Enqueues = 24;

    [Fact]
    public async Task With_default_settings_every_enqueue_answer_leaves_after_its_WAL_frames_were_flushed()
    {
        var (trace, answers) = await TraceSequentialEnqueuesAsync(settingsJson: "{}");

        Assert.Equal(Enqueues, answers.Count);
        Assert.All(answers, answer => Assert.True(
            FlushedBefore(trace, answer.Value) is null,
            $"answer to request {answer.Key}: {FlushedBefore(trace, answer.Value)}"));
    }

    [Fact]
    public async Task With_synchronous_normal_answers_leave_before_a_flush_so_the_check_above_can_fail()
    {
        var (trace, answers) = await TraceSequentialEnqueuesAsync(settingsJson: """{"synchronous":"normal"}""");

        Assert.Equal(Enqueues, answers.Count);
        Assert.Contains(answers, answer => FlushedBefore(trace, answer.Value) is not null);
    }

    /// <summary>Null when the last WAL write before <paramref name="answer"/> was followed by a finished WAL flush before it.</summary>
    private static string? FlushedBefore(SyscallTrace trace, SyscallEvent answer)
    {
        var lastWalWrite = trace.Events.LastOrDefault(e => IsWalWrite(e) && e.End < answer.Start);
        if (lastWalWrite is null)
        {
            return "no WAL write before the answer";
        }

        return trace.Events.Any(e => IsWalFlush(e) && e.Start > lastWalWrite.End && e.End < answer.Start)
            ? null
            : $"no WAL flush between the last WAL write (line {lastWalWrite.End}) and the answer (line {answer.Start})";
    }

    private static bool IsWalWrite(SyscallEvent e) =>
        e.Name is "pwrite64" or "pwrite" or "write" or "pwritev" or "pwritev2" && e.Path?.EndsWith("-wal", StringComparison.Ordinal) == true;

    private static bool IsWalFlush(SyscallEvent e) =>
        e.Name is "fdatasync" or "fsync" && e.Path?.EndsWith("-wal", StringComparison.Ordinal) == true;

    private static async Task<(SyscallTrace Trace, Dictionary<long, SyscallEvent> Answers)> TraceSequentialEnqueuesAsync(string settingsJson)
    {
        using var data = new TempDirectory();
        var traceFile = data.File("strace.txt");
        var requestIds = new List<long>();
        await using (var sidecar = SidecarProcess.StartTraced(traceFile, "--data-dir", data.File("store")))
        {
            JsonAssert.Result(await sidecar.RequestAsync(
                "initialize",
                $$$"""{"processId":null,"initializationOptions":{"workspaceId":"ws","settings":{{{settingsJson}}}}}"""));
            await sidecar.NotifyAsync("initialized");
            // One caller, one request at a time: the frames written between a request and its answer are its own.
            for (var i = 0; i < Enqueues; i++)
            {
                var id = sidecar.NextId();
                requestIds.Add(id);
                var enqueue = $$"""{"type":"note.add.v1","entityId":"e{{i % 3}}","payload":{"n":{{i}}}""" + "}";
                await sidecar.SendAsync($$"""{"jsonrpc":"2.0","id":{{id}},"method":"offlineSync/enqueue","params":{{enqueue}}""" + "}");
                JsonAssert.Result(await sidecar.ReadResponseAsync(id));
            }

            JsonAssert.Result(await sidecar.RequestAsync("shutdown", "{}"));
            await sidecar.NotifyAsync("exit");
            Assert.Equal(0, await sidecar.WaitForExitAsync());
        }

        var trace = SyscallTrace.Parse(traceFile);
        var answers = new Dictionary<long, SyscallEvent>();
        foreach (var write in trace.Events.Where(e => e.Name is "write" or "writev" && e.Path?.StartsWith("pipe:", StringComparison.Ordinal) == true))
        {
            foreach (Match answer in AnswerId().Matches(write.Arguments))
            {
                var id = long.Parse(answer.Groups["id"].Value, CultureInfo.InvariantCulture);
                if (requestIds.Contains(id))
                {
                    answers.TryAdd(id, write);
                }
            }
        }

        return (trace, answers);
    }

    // The answer frame as strace prints it: quotes escaped.
    [GeneratedRegex("""\\"id\\":(?<id>\d+),\\"result\\":\{\\"id\\":""")]
    private static partial Regex AnswerId();
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace OfflineSidecar.Host.Tests.Support;

/// <summary>
/// The system calls of a process as <c>strace -f -y -s 4096 -o FILE</c> wrote them, in the order they happened.
/// A call split by another thread (<c>&lt;unfinished ...&gt;</c> … <c>&lt;... resumed&gt;</c>) keeps both positions, so
/// "finished before that one started" can be asked exactly.
/// </summary>
internal sealed partial class SyscallTrace
{
    private SyscallTrace(IReadOnlyList<SyscallEvent> events) => Events = events;

    public IReadOnlyList<SyscallEvent> Events { get; }

    public static SyscallTrace Parse(string path)
    {
        var events = new List<SyscallEvent>();
        var unfinished = new Dictionary<int, (string Name, string Text, int Start)>();
        var lines = File.ReadAllLines(path);
        for (var position = 0; position < lines.Length; position++)
        {
            var line = lines[position];
            if (Resumed().Match(line) is { Success: true } resumed)
            {
                var pid = int.Parse(resumed.Groups["pid"].Value, CultureInfo.InvariantCulture);
                if (unfinished.Remove(pid, out var call))
                {
                    events.Add(new SyscallEvent(call.Name, call.Text, call.Start, position));
                }

                continue;
            }

            if (Call().Match(line) is not { Success: true } match)
            {
                continue;
            }

            var name = match.Groups["name"].Value;
            var text = match.Groups["rest"].Value;
            if (line.EndsWith("<unfinished ...>", StringComparison.Ordinal))
            {
                unfinished[int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture)] = (name, text, position);
            }
            else
            {
                events.Add(new SyscallEvent(name, text, position, position));
            }
        }

        events.Sort((a, b) => a.End.CompareTo(b.End));
        return new SyscallTrace(events);
    }

    [GeneratedRegex(@"^(?<pid>\d+)\s+(?<name>[a-z0-9_]+)\((?<rest>.*)$")]
    private static partial Regex Call();

    [GeneratedRegex(@"^(?<pid>\d+)\s+<\.\.\. (?<name>[a-z0-9_]+) resumed>")]
    private static partial Regex Resumed();
}

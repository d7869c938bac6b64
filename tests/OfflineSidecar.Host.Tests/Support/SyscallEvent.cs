namespace OfflineSidecar.Host.Tests.Support;

/// <summary>One system call: its name, its arguments as strace printed them, and where it started and ended.</summary>
internal sealed record SyscallEvent(string Name, string Arguments, int Start, int End)
{
    /// <summary>The path of the first argument when it is a descriptor (<c>-y</c> prints <c>fd&lt;path&gt;</c>).</summary>
    public string? Path
    {
        get
        {
            var open = Arguments.IndexOf('<', StringComparison.Ordinal);
            var close = Arguments.IndexOf('>', StringComparison.Ordinal);
            var comma = Arguments.IndexOf(',', StringComparison.Ordinal);
            return open >= 0 && close > open && (comma < 0 || open < comma) ? Arguments[(open + 1)..close] : null;
        }
    }
}

using System.Diagnostics;
using System.Globalization;

namespace OfflineSidecar.Bench.QueueFiles;

/// <summary>A <see cref="QueueChild"/> started from the bench's own executable; collects what it printed.</summary>
internal sealed class QueueChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstAck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;
    private readonly string _prefix;
    private readonly List<string> _stderr = [];

    /// <param name="wrapper">A command that runs the child (e.g. strace and its options), or none.</param>
    public QueueChildProcess(string engine, string path, string prefix, long count, int writers, IReadOnlyList<string>? wrapper = null)
    {
        _prefix = prefix + "-";
        var command = new List<string>(wrapper ?? []) { Environment.ProcessPath! };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            command.Add(typeof(QueueChild).Assembly.Location);
        }

        command.AddRange([QueueChild.Verb, engine, path, prefix, count.ToString(CultureInfo.InvariantCulture), writers.ToString(CultureInfo.InvariantCulture)]);
        var info = new ProcessStartInfo { FileName = command[0], RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info)!;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                lock (_stderr)
                {
                    _stderr.Add(line);
                }
            }
        };
        _process.BeginErrorReadLine();
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>Ids acknowledged by the child (only whole lines: a line cut by the kill does not count).</summary>
    public List<string> Acknowledged { get; } = [];

    /// <summary>Rows the child saw in the file when it was done, or null.</summary>
    public long? SeenAtEnd { get; private set; }

    public string? Error { get; private set; }

    /// <summary>What a child that died on its own said last: the runtime's message for an unhandled exception.</summary>
    public string? Crash
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.FirstOrDefault(line => line.Contains("Exception", StringComparison.Ordinal)) ?? _stderr.LastOrDefault();
            }
        }
    }

    public Task Ready => _ready.Task;

    public Task FirstAcknowledged => _firstAck.Task;

    public void Kill() => _process.Kill(entireProcessTree: false); // SIGKILL on Unix

    /// <summary>Waits for the process to end and its output to be read to the end.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
            Error ??= $"did not finish within {timeout.TotalSeconds:0} s";
        }

        await _reading;
        return _process.ExitCode;
    }

    public void Dispose() => _process.Dispose();

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line == "ready")
            {
                _ready.TrySetResult();
            }
            else if ((line.StartsWith(_prefix, StringComparison.Ordinal) && line.Length == _prefix.Length + 12) || IsUlid(line))
            {
                Acknowledged.Add(line);
                _firstAck.TrySetResult();
            }
            else if (line.StartsWith("count ", StringComparison.Ordinal))
            {
                SeenAtEnd = long.Parse(line.AsSpan(6), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("error ", StringComparison.Ordinal))
            {
                Error = line[6..];
            }
        }

        _ready.TrySetResult();
        _firstAck.TrySetResult();
    }

    /// <summary>The sidecar store answers with its own ids: 26 Crockford base-32 characters.</summary>
    private static bool IsUlid(string line) => line.Length == 26 && line.All(char.IsAsciiLetterOrDigit);
}

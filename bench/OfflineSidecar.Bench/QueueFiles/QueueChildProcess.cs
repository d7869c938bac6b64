using System.Diagnostics;
using System.Globalization;

namespace OfflineSidecar.Bench.QueueFiles;

/// <summary>A <see cref="QueueChild"/> started from the bench's own executable; collects what it printed.</summary>
internal sealed class QueueChildProcess : IDisposable
{
    private readonly Process process;
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource firstAck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task reading;
    private readonly string prefix;
    private readonly List<string> stderr = [];

    /// <param name="wrapper">A command that runs the child (e.g. strace and its options), or none.</param>
    public QueueChildProcess(string engine, string path, string prefix, long count, int writers, IReadOnlyList<string>? wrapper = null)
    {
        this.prefix = prefix + "-";
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

        process = Process.Start(info)!;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                lock (stderr)
                {
                    stderr.Add(line);
                }
            }
        };
        process.BeginErrorReadLine();
        reading = Task.Run(ReadAsync);
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
            lock (stderr)
            {
                return stderr.FirstOrDefault(line => line.Contains("Exception", StringComparison.Ordinal)) ?? stderr.LastOrDefault();
            }
        }
    }

    public Task Ready => ready.Task;

    public Task FirstAcknowledged => firstAck.Task;

    public void Kill() => process.Kill(entireProcessTree: false); // SIGKILL on Unix

    /// <summary>Waits for the process to end and its output to be read to the end.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await process.WaitForExitAsync(CancellationToken.None);
            Error ??= $"did not finish within {timeout.TotalSeconds:0} s";
        }

        await reading;
        return process.ExitCode;
    }

    public void Dispose() => process.Dispose();

    private async Task ReadAsync()
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line == "ready")
            {
                ready.TrySetResult();
            }
            else if ((line.StartsWith(prefix, StringComparison.Ordinal) && line.Length == prefix.Length + 12) || IsUlid(line))
            {
                Acknowledged.Add(line);
                firstAck.TrySetResult();
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

        ready.TrySetResult();
        firstAck.TrySetResult();
    }

    /// <summary>The sidecar store answers with its own ids: 26 Crockford base-32 characters.</summary>
    private static bool IsUlid(string line) => line.Length == 26 && line.All(char.IsAsciiLetterOrDigit);
}

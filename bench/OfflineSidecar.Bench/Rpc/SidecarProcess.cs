using System.Diagnostics;
using System.Globalization;
using System.Text;
using OfflineSidecar.Bench.Infra;

namespace OfflineSidecar.Bench.Rpc;

/// <summary>The published sidecar (dist/sidecar/offline-sidecar serve --stdio) and a client connected to it.</summary>
internal sealed class SidecarProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder stderrTail = new();

    private SidecarProcess(Process process, long startedAt)
    {
        this.process = process;
        StartedAt = startedAt;
        Client = new RpcClient(process.StandardOutput.BaseStream, process.StandardInput.BaseStream);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stderrTail)
            {
                stderrTail.AppendLine(e.Data);
                if (stderrTail.Length > 16_384)
                {
                    stderrTail.Remove(0, stderrTail.Length - 8_192);
                }
            }
        };
        process.BeginErrorReadLine();
    }

    public RpcClient Client { get; }

    /// <summary>Stopwatch timestamp taken just before the process was spawned.</summary>
    public long StartedAt { get; }

    public int Pid => process.Id;

    public SidecarLaunch? Launch { get; private set; }

    public string StderrTail
    {
        get
        {
            lock (stderrTail)
            {
                return stderrTail.ToString();
            }
        }
    }

    public static SidecarProcess Start(string dataDir, string? binary = null)
    {
        var info = new ProcessStartInfo(binary ?? BenchPaths.Sidecar)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add("--stdio");
        info.ArgumentList.Add("--data-dir");
        info.ArgumentList.Add(dataDir);
        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + BenchPaths.Sidecar);
        return new SidecarProcess(process, startedAt);
    }

    /// <summary>Starts, initializes and sends initialized.</summary>
    public static async Task<SidecarProcess> StartReadyAsync(SidecarLaunch launch, string? binary = null)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var sidecar = Start(launch.DataDir, binary);
        await sidecar.InitializeAsync(launch);
        await sidecar.Client.NotifyAsync("initialized", json =>
        {
            json.WriteStartObject();
            json.WriteEndObject();
        });
        return sidecar;
    }

    /// <summary>Sends initialize; returns the Stopwatch ticks from spawn to the answer.</summary>
    public async Task<long> InitializeAsync(SidecarLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        Launch = launch;
        using var reply = await Client.CallAsync("initialize", launch.WriteInitializeParams);
        _ = reply.Result;
        return reply.ReceivedAt - StartedAt;
    }

    /// <summary>Resident set size in KiB (VmRSS of /proc/&lt;pid&gt;/status).</summary>
    public long ResidentKib(string field = "VmRSS")
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    /// <summary>SIGKILL, as a crash or power cut would stop it: no shutdown, nothing flushed on the way out.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                using (await Client.CallAsync("shutdown", null, timeout.Token))
                {
                }

                await Client.NotifyAsync("exit", null, timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (Exception error) when (error is IOException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            Console.Error.WriteLine($"sidecar {Pid} did not stop cleanly ({error.Message}); killing it");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            await Client.DisposeAsync();
            process.Dispose();
        }
    }
}

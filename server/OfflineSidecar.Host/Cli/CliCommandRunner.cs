using OfflineSidecar.Core.Queue;
using OfflineSidecar.Host.Settings;

namespace OfflineSidecar.Host.Cli;

/// <summary>Turns a store command's failures into a message on stderr and an exit code.</summary>
internal static class CliCommandRunner
{
    public static async Task<int> RunAsync(Func<Task<int>> command, TextWriter stderr)
    {
        try
        {
            return await command();
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"offline-sidecar: {ex.Message}");
            return CliExitCodes.Usage;
        }
        catch (SettingsException ex)
        {
            await stderr.WriteLineAsync($"offline-sidecar: {ex.Message}");
            return CliExitCodes.Usage;
        }
        catch (QueueException ex)
        {
            await stderr.WriteLineAsync($"offline-sidecar: {ex.Message}");
            return ex.Kind == QueueErrorKind.InvalidArgument ? CliExitCodes.Usage : CliExitCodes.Failure;
        }
        catch (IOException ex)
        {
            await stderr.WriteLineAsync($"offline-sidecar: {ex.Message}");
            return CliExitCodes.Failure;
        }
    }
}

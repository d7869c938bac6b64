using System.Globalization;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Protocol;
using OfflineSidecar.Host.Protocol.Window;
using OfflineSidecar.JsonRpc.Dispatch;

namespace OfflineSidecar.Host.Logging;

/// <summary>
/// The sidecar's log: every line to stderr (stdout carries frames only), and all but debug lines to the
/// client as window/logMessage once a connection is attached.
/// </summary>
internal sealed class SidecarLog(TextWriter stderr, TimeProvider time)
{
    private JsonRpcConnection? client;

    public void Attach(JsonRpcConnection client) => Volatile.Write(ref this.client, client);

    public void Error(string message) => Write(LogMessageType.Error, message);

    public void Warning(string message) => Write(LogMessageType.Warning, message);

    public void Info(string message) => Write(LogMessageType.Info, message);

    public void Debug(string message) => Write(LogMessageType.Log, message);

    public void Write(LogMessageType type, string message)
    {
        string stamp = time.GetUtcNow().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        stderr.WriteLine($"{stamp} {Label(type)} {message}");
        if (type != LogMessageType.Log && Volatile.Read(ref this.client) is { } client)
        {
            _ = SendAsync(client, new LogMessageParams(type, message));
        }
    }

    private static async Task SendAsync(JsonRpcConnection client, LogMessageParams message)
    {
        try
        {
            await client.NotifyAsync(LspMethods.LogMessage, message);
        }
        catch (ObjectDisposedException)
        {
            // The connection closed while the line was on its way; stderr has it.
        }
    }

    /// <summary>The JSON-RPC layer's levels use LSP numbering.</summary>
    public void FromJsonRpc(JsonRpcLogLevel level, string message) => Write((LogMessageType)(int)level, message);

    public void FromSync(SyncLogLevel level, string message) => Write(level switch
    {
        SyncLogLevel.Error => LogMessageType.Error,
        SyncLogLevel.Warning => LogMessageType.Warning,
        SyncLogLevel.Info => LogMessageType.Info,
        _ => LogMessageType.Log,
    }, message);

    private static string Label(LogMessageType type) => type switch
    {
        LogMessageType.Error => "error",
        LogMessageType.Warning => "warn ",
        LogMessageType.Info => "info ",
        _ => "debug",
    };
}

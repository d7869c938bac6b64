using System.IO.Pipelines;
using System.Text.Json;
using OfflineSidecar.JsonRpc.Framing;

namespace OfflineSidecar.Host.Tests.Support;

/// <summary>
/// The client end of an in-memory connection: raw bytes or frames in, parsed messages out.
/// The server side gets <see cref="ServerInput"/> and <see cref="ServerOutput"/>.
/// </summary>
internal sealed class PipePeer : IAsyncDisposable
{
    private readonly Pipe toServer = new();
    private readonly Pipe fromServer = new();
    private readonly FrameReader reader;
    private readonly List<JsonElement> skipped = [];

    public PipePeer() => reader = new FrameReader(fromServer.Reader, new FrameReaderOptions());

    public PipeReader ServerInput => toServer.Reader;

    public PipeWriter ServerOutput => fromServer.Writer;

    /// <summary>Messages passed over by <see cref="ReadResponseAsync"/> and <see cref="ReadNotificationAsync"/>.</summary>
    public IReadOnlyList<JsonElement> Skipped => skipped;

    public async Task SendRawAsync(byte[] bytes) => await toServer.Writer.WriteAsync(bytes);

    public Task SendAsync(string json) => SendRawAsync(Frames.Of(json));

    public void CloseInput() => toServer.Writer.Complete();

    public async Task<JsonElement> ReadAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TestTimeouts.Message);
        FrameReadResult frame = await reader.ReadAsync(cancellation.Token);
        Assert.Equal(FrameReadKind.Message, frame.Kind);
        using FrameBody body = frame.Body!;
        using var document = JsonDocument.Parse(body.Memory);
        return document.RootElement.Clone();
    }

    public async Task<JsonElement> ReadResponseAsync(long id)
    {
        while (true)
        {
            JsonElement message = await ReadAsync();
            if (message.ValueKind == JsonValueKind.Object && !message.TryGetProperty("method", out _)
                && message.TryGetProperty("id", out JsonElement got) && got.ValueKind == JsonValueKind.Number && got.GetInt64() == id)
            {
                return message;
            }

            skipped.Add(message);
        }
    }

    public async Task<JsonElement> ReadNotificationAsync(string method)
    {
        while (true)
        {
            JsonElement message = await ReadAsync();
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("method", out JsonElement m) && m.GetString() == method)
            {
                return message;
            }

            skipped.Add(message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await toServer.Writer.CompleteAsync();
        await fromServer.Reader.CompleteAsync();
    }
}

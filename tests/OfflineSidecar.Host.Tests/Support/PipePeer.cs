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
    private readonly Pipe _toServer = new();
    private readonly Pipe _fromServer = new();
    private readonly FrameReader _reader;
    private readonly List<JsonElement> _skipped = [];

    public PipePeer() => _reader = new FrameReader(_fromServer.Reader, new FrameReaderOptions());

    public PipeReader ServerInput => _toServer.Reader;

    public PipeWriter ServerOutput => _fromServer.Writer;

    /// <summary>Messages passed over by <see cref="ReadResponseAsync"/> and <see cref="ReadNotificationAsync"/>.</summary>
    public IReadOnlyList<JsonElement> Skipped => _skipped;

    public async Task SendRawAsync(byte[] bytes) => await _toServer.Writer.WriteAsync(bytes);

    public Task SendAsync(string json) => SendRawAsync(Frames.Of(json));

    public void CloseInput() => _toServer.Writer.Complete();

    public async Task<JsonElement> ReadAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TestTimeouts.Message);
        FrameReadResult frame = await _reader.ReadAsync(cancellation.Token);
        Assert.Equal(FrameReadKind.Message, frame.Kind);
        using FrameBody body = frame.Body!;
        using var document = JsonDocument.Parse(body.Memory);
        return document.RootElement.Clone();
    }

    /// <summary>True when nothing arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> IsQuietAsync(TimeSpan wait)
    {
        try
        {
            using var cancellation = new CancellationTokenSource(wait);
            FrameReadResult frame = await _reader.ReadAsync(cancellation.Token);
            frame.Body?.Dispose();
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
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

            _skipped.Add(message);
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

            _skipped.Add(message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _toServer.Writer.CompleteAsync();
        await _fromServer.Reader.CompleteAsync();
    }
}

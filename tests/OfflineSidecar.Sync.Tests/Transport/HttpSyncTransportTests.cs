using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Transport;
using OfflineSidecar.Sync.Tests.Support;

namespace OfflineSidecar.Sync.Tests.Transport;

public sealed class HttpSyncTransportTests
{
    private const string RawPayload = "{\"title\" : \"caf\\u00e9\",  \"n\":1.50}";

    private static Operation Op(string id, string? entity = "doc-1", long? expected = 4) => new()
    {
        Id = id,
        WorkspaceId = "ws-1",
        Type = "document.put.v1",
        EntityId = entity,
        PayloadJson = RawPayload,
        IdempotencyKey = "key-" + id,
        ExpectedVersion = expected,
        CreatedAt = new DateTimeOffset(2026, 11, 22, 10, 0, 0, 123, TimeSpan.Zero),
    };

    private static HttpSyncTransport Transport(Uri url, double timeoutSeconds = 5) =>
        new(url, TimeSpan.FromSeconds(timeoutSeconds), TimeSpan.FromSeconds(30), TimeProvider.System);

    [Fact]
    public async Task SendsTheBatchWithRawPayloadsAndTokenAndReadsEveryResult()
    {
        await using var server = new ScriptedHttpServer(_ => new ScriptedResponse(200, """
            {"serverTime":"2026-11-22T10:00:01.000Z","results":[
              {"commandId":"a","status":"applied","version":5},
              {"commandId":"b","status":"conflict","server":{"version":9,"payload":{"title":"theirs"}},"code":"versionMismatch","message":"expected 4"},
              {"commandId":"c","status":"rejected","code":"invalid","message":"no title"},
              {"commandId":"d","status":"duplicate","version":2},
              {"commandId":"e","status":"retry"}]}
            """));
        using var transport = Transport(server.BaseUrl);

        var result = await transport.SendBatchAsync("ws-1", "client-7", "s3cret", [Op("a"), Op("b"), Op("c"), Op("d"), Op("e", entity: null, expected: null)]);

        Assert.Equal(SendBatchResultKind.Ok, result.Kind);
        Assert.Equal(
            [
                new CommandResult("a", CommandStatus.Applied, 5),
                new CommandResult("b", CommandStatus.Conflict, null, new ServerEntityState(9, "{\"title\":\"theirs\"}"), "versionMismatch", "expected 4"),
                new CommandResult("c", CommandStatus.Rejected, Code: "invalid", Message: "no title"),
                new CommandResult("d", CommandStatus.Duplicate, 2),
                new CommandResult("e", CommandStatus.Retry),
            ],
            result.Results);

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/sync/commands", request.Path);
        Assert.Equal("Bearer s3cret", request.Headers["Authorization"]);
        // The payload goes out byte for byte as stored, not re-serialised.
        Assert.Contains("\"payload\":" + RawPayload, request.Body, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("ws-1", body.RootElement.GetProperty("workspaceId").GetString());
        Assert.Equal("client-7", body.RootElement.GetProperty("clientId").GetString());
        var first = body.RootElement.GetProperty("commands")[0];
        Assert.Equal("a", first.GetProperty("commandId").GetString());
        Assert.Equal("key-a", first.GetProperty("idempotencyKey").GetString());
        Assert.Equal("document.put.v1", first.GetProperty("type").GetString());
        Assert.Equal("doc-1", first.GetProperty("entityId").GetString());
        Assert.Equal(4, first.GetProperty("expectedVersion").GetInt64());
        Assert.Equal("2026-11-22T10:00:00.123Z", first.GetProperty("createdAt").GetString());
        var last = body.RootElement.GetProperty("commands")[4];
        Assert.False(last.TryGetProperty("entityId", out _));
        Assert.False(last.TryGetProperty("expectedVersion", out _));
    }

    [Theory]
    [InlineData("\"soon\"")]
    [InlineData("1764000000")]
    public async Task ABatchAnswerIsReadWhateverItsServerTimeHolds(string serverTime)
    {
        await using var server = new ScriptedHttpServer(_ => new ScriptedResponse(200,
            "{\"serverTime\":" + serverTime + ",\"results\":[{\"commandId\":\"a\",\"status\":\"applied\",\"version\":1}]}"));
        using var transport = Transport(server.BaseUrl);

        var result = await transport.SendBatchAsync("ws-1", "c", null, [Op("a")]);

        Assert.Equal(SendBatchResultKind.Ok, result.Kind);
        Assert.Equal([new CommandResult("a", CommandStatus.Applied, 1)], result.Results);
    }

    [Fact]
    public async Task NoTokenMeansNoAuthorizationHeader()
    {
        await using var server = new ScriptedHttpServer(_ => new ScriptedResponse(200, "{\"results\":[]}"));
        using var transport = Transport(server.BaseUrl);

        await transport.SendBatchAsync("ws-1", "c", null, [Op("a")]);

        Assert.False(Assert.Single(server.Requests).Headers.ContainsKey("Authorization"));
    }

    [Theory]
    [InlineData("s3cret", "Bearer s3cret")]
    [InlineData(null, null)]
    public async Task BlobChecksAndUploadsCarryTheTokenLikeEveryOtherRequest(string? token, string? expected)
    {
        await using var server = new ScriptedHttpServer(request => new ScriptedResponse(request.Method == "HEAD" ? 404 : 200));
        using var transport = Transport(server.BaseUrl);
        var blob = new OperationAttachment(new string('a', 64), "a.bin", null, 3);

        var result = await transport.PutBlobAsync("ws-1", token, blob, () => new MemoryStream([1, 2, 3]));

        Assert.Equal(SendBatchResultKind.Ok, result.Kind);
        Assert.Equal(["HEAD", "PUT"], server.Requests.Select(static r => r.Method));
        Assert.All(server.Requests, request => Assert.Equal(expected, request.Headers.GetValueOrDefault("Authorization")));
    }

    [Theory]
    [InlineData(401, SendBatchResultKind.AuthFailed)]
    [InlineData(403, SendBatchResultKind.Forbidden)]
    [InlineData(400, SendBatchResultKind.BadRequest)]
    [InlineData(413, SendBatchResultKind.TooLarge)]
    [InlineData(500, SendBatchResultKind.ServerError)]
    [InlineData(502, SendBatchResultKind.ServerError)]
    [InlineData(404, SendBatchResultKind.ServerError)]
    public async Task WholeRequestStatusesMapToTheirKind(int status, SendBatchResultKind expected)
    {
        await using var server = new ScriptedHttpServer(_ => new ScriptedResponse(status, "{\"code\":\"x\",\"message\":\"told you so\"}"));
        using var transport = Transport(server.BaseUrl);

        var result = await transport.SendBatchAsync("ws-1", "c", "t", [Op("a")]);

        Assert.Equal(expected, result.Kind);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal("told you so", result.Message);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(429, SendBatchResultKind.Throttled, false)]
    [InlineData(503, SendBatchResultKind.ServerError, true)]
    public async Task RetryLaterAnswersCarryRetryAfterAndAreNotRetriedInCall(int status, SendBatchResultKind expected, bool serverDown)
    {
        await using var server = new ScriptedHttpServer(_ => new ScriptedResponse(status, "", [("Retry-After", "7")]));
        using var transport = Transport(server.BaseUrl);

        var result = await transport.SendBatchAsync("ws-1", "c", "t", [Op("a")]);

        Assert.Equal(expected, result.Kind);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        Assert.Equal(serverDown, result.ServerDown);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task AMalformedAnswerIsAServerError()
    {
        await using var server = new ScriptedHttpServer(_ => new ScriptedResponse(200, "{\"results\": [oops"));
        using var transport = Transport(server.BaseUrl);

        var result = await transport.SendBatchAsync("ws-1", "c", "t", [Op("a")]);

        Assert.Equal(SendBatchResultKind.ServerError, result.Kind);
        Assert.StartsWith("malformed response", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADroppedConnectionIsANetworkErrorAndIsNotResent()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedResponse.Dropped);
        using var transport = Transport(server.BaseUrl);

        var result = await transport.SendBatchAsync("ws-1", "c", "t", [Op("a")]);

        Assert.Equal(SendBatchResultKind.NetworkError, result.Kind);
        // The server may have applied it: resending is the queue's decision, made with the idempotency key.
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task NoAnswerWithinTheTimeoutIsATimedOutNetworkError()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedResponse.Hung);
        using var transport = Transport(server.BaseUrl, timeoutSeconds: 0.3);

        var result = await transport.SendBatchAsync("ws-1", "c", "t", [Op("a")]);

        Assert.Equal(SendBatchResultKind.NetworkError, result.Kind);
        Assert.True(result.TimedOut);
    }

    [Fact]
    public async Task ARefusedConnectionIsANetworkError()
    {
        using var transport = Transport(new Uri($"http://127.0.0.1:{FreePort()}/"));

        var result = await transport.SendBatchAsync("ws-1", "c", "t", [Op("a")]);

        Assert.Equal(SendBatchResultKind.NetworkError, result.Kind);
        Assert.False(result.TimedOut);
        Assert.False(await transport.ProbeAsync());
    }

    [Fact]
    public async Task RepeatedNetworkFailuresOpenTheCircuitAndAHealthyProbeClosesIt()
    {
        var healthy = false;
        await using var server = new ScriptedHttpServer(r => r.Path == "/sync/health"
            ? new ScriptedResponse(healthy ? 200 : 503, "{\"serverTime\":\"2026-11-22T10:00:00Z\"}")
            : healthy ? new ScriptedResponse(200, "{\"results\":[{\"commandId\":\"a\",\"status\":\"applied\",\"version\":1}]}") : ScriptedResponse.Dropped);
        using var transport = Transport(server.BaseUrl);
        var changes = new List<TransportCircuitState>();
        transport.CircuitChanged += (_, s) => changes.Add(s);

        for (var i = 0; i < 5; i++)
        {
            await transport.SendBatchAsync("ws-1", "c", "t", [Op("a")]);
        }

        Assert.Equal([TransportCircuitState.Open], changes);
        var sentWhileOpen = server.Requests.Count;
        var rejected = await transport.SendBatchAsync("ws-1", "c", "t", [Op("a")]);
        Assert.Equal(SendBatchResultKind.NetworkError, rejected.Kind);
        Assert.Equal(sentWhileOpen, server.Requests.Count);
        Assert.False(await transport.ProbeAsync());

        healthy = true;
        Assert.True(await transport.ProbeAsync());
        Assert.Equal([TransportCircuitState.Open, TransportCircuitState.Closed], changes);
        Assert.Equal(SendBatchResultKind.Ok, (await transport.SendBatchAsync("ws-1", "c", "t", [Op("a")])).Kind);
    }

    [Theory]
    [InlineData("http://sync.example.com/")]
    [InlineData("ftp://127.0.0.1/")]
    public void RefusesUrlsThatWouldLeakTheToken(string url) =>
        Assert.Throws<ArgumentException>(() => Transport(new Uri(url)));

    [Theory]
    [InlineData("https://sync.example.com/api/")]
    [InlineData("http://localhost:8080/")]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://[::1]:8080/")]
    public void AcceptsHttpsAndLoopback(string url) => Assert.True(ServerUrlPolicy.IsAllowed(new Uri(url)));

    [Fact]
    public async Task AServerUrlWithAPathKeepsItsPath()
    {
        await using var server = new ScriptedHttpServer(_ => new ScriptedResponse(200, "{\"serverTime\":\"2026-11-22T10:00:00Z\"}"));
        using var transport = Transport(new Uri(server.BaseUrl, "tenant/a"));

        Assert.True(await transport.ProbeAsync());
        Assert.Equal("/tenant/a/sync/health", Assert.Single(server.Requests).Path);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

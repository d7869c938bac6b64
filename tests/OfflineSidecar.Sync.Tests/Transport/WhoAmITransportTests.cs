using OfflineSidecar.Core.Transport;
using OfflineSidecar.Sync.Tests.Support;

namespace OfflineSidecar.Sync.Tests.Transport;

/// <summary>GET /sync/whoami over a real socket.</summary>
public sealed class WhoAmITransportTests
{
    private static HttpSyncTransport Transport(Uri url) => new(url, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeProvider.System);

    [Fact]
    public async Task The_account_is_read_and_the_request_carries_the_token()
    {
        await using var server = new ScriptedHttpServer(_ => new ScriptedResponse(200, """{"accountId":"alice"}"""));
        using var transport = Transport(server.BaseUrl);

        var read = await transport.GetAccountAsync("s3cret");

        Assert.Equal((ServerReadKind.Ok, "alice"), (read.Kind, read.Value));
        var request = Assert.Single(server.Requests);
        Assert.Equal(("GET", "/sync/whoami"), (request.Method, request.Path));
        Assert.Equal("Bearer s3cret", request.Headers["Authorization"]);
    }

    [Theory]
    [InlineData(200, "[]", ServerReadKind.Malformed)]
    [InlineData(200, """{"accountId":""}""", ServerReadKind.Malformed)]
    [InlineData(200, """{"accountId":7}""", ServerReadKind.Malformed)]
    [InlineData(200, "not json", ServerReadKind.Malformed)]
    [InlineData(404, """{"code":"not_found","message":"no such endpoint"}""", ServerReadKind.NotFound)]
    [InlineData(401, """{"code":"unauthorized","message":"token"}""", ServerReadKind.Failed)]
    public async Task Other_answers_are_told_apart(int status, string body, ServerReadKind expected)
    {
        await using var server = new ScriptedHttpServer(_ => new ScriptedResponse(status, body));
        using var transport = Transport(server.BaseUrl);

        var read = await transport.GetAccountAsync(null);

        Assert.Equal(expected, read.Kind);
        Assert.False(server.Requests.Single().Headers.ContainsKey("Authorization"));
    }
}

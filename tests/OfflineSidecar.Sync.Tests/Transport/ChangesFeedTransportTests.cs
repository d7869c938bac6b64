using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Transport;
using OfflineSidecar.Sync.Tests.Support;

namespace OfflineSidecar.Sync.Tests.Transport;

/// <summary>GET /sync/changes and /sync/entity over a real socket: what is read, and what is refused before anything is written.</summary>
public sealed class ChangesFeedTransportTests
{
    private static HttpSyncTransport Transport(Uri url) => new(url, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeProvider.System);

    [Fact]
    public async Task A_page_is_read_with_raw_payloads_and_the_request_carries_cursor_count_and_token()
    {
        await using var server = new ScriptedHttpServer(_ => new ScriptedResponse(200, """
            {"changes":[{"entityId":"notes/a.md","type":"document.put.v1","version":3,"payload":{"content":"caf\u00e9", "encoding":"utf-8"},"deleted":false},
                        {"entityId":"notes/b.md","type":"document.delete.v1","version":2,"payload":null,"deleted":true}],
             "cursor":"1043","hasMore":true,"remaining":7}
            """));
        using var transport = Transport(server.BaseUrl);

        var read = await transport.GetChangesAsync("ws 1", "s3cret", "1041", 1000, count: true);

        Assert.Equal(ServerReadKind.Ok, read.Kind);
        var page = read.Value!;
        Assert.Equal(("1043", true, (long?)7), (page.Cursor, page.HasMore, page.Remaining));
        Assert.Equal(new ChangeRecord("notes/a.md", "document.put.v1", 3, """{"content":"caf\u00e9", "encoding":"utf-8"}""", false), page.Changes[0]);
        Assert.Equal(new ChangeRecord("notes/b.md", "document.delete.v1", 2, null, true), page.Changes[1]);
        var request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/sync/changes?workspaceId=ws%201&limit=1000&since=1041&count=true", request.Path);
        Assert.Equal("Bearer s3cret", request.Headers["Authorization"]);
    }

    [Theory]
    [InlineData("not json at all", "not JSON")]
    [InlineData("""{"changes":[],"hasMore":false}""", "cursor")]
    [InlineData("""{"changes":[],"cursor":"12","hasMore":false}""", "went backwards")]
    [InlineData("""{"changes":[],"cursor":"0042","hasMore":false}""", "cursor")]
    [InlineData("""{"changes":[{"entityId":"a","type":"document.put.v1","version":1,"payload":{},"deleted":false}],"cursor":"41","hasMore":false}""", "did not move")]
    [InlineData("""{"changes":[],"cursor":"50","hasMore":true}""", "never end")]
    [InlineData("""{"changes":[{"entityId":"a","type":"document.put.v1","version":1,"deleted":false}],"cursor":"50","hasMore":false}""", "changes[0]")]
    [InlineData("""{"changes":[{"type":"document.put.v1","version":1,"payload":{}}],"cursor":"50","hasMore":false}""", "changes[0]")]
    [InlineData("""{"changes":[{"entityId":"\ud800","type":"document.put.v1","version":1,"payload":{}}],"cursor":"50","hasMore":false}""", "changes[0]")]
    public async Task An_answer_that_cannot_be_trusted_is_refused_naming_what_is_wrong(string body, string problem)
    {
        await using var server = new ScriptedHttpServer(_ => new ScriptedResponse(200, body));
        using var transport = Transport(server.BaseUrl);

        var read = await transport.GetChangesAsync("ws", null, "41", 1000, count: false);

        Assert.Equal(ServerReadKind.Malformed, read.Kind);
        Assert.Contains(problem, read.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(410, """{"code":"cursor_expired","message":"compacted"}""", ServerReadKind.CursorExpired)]
    [InlineData(400, """{"code":"invalid_cursor","message":"not ours"}""", ServerReadKind.CursorExpired)]
    [InlineData(400, """{"code":"invalid_request","message":"limit"}""", ServerReadKind.Failed)]
    [InlineData(401, """{"code":"unauthorized","message":"token"}""", ServerReadKind.Failed)]
    [InlineData(503, """{"code":"unavailable","message":"down"}""", ServerReadKind.Failed)]
    public async Task Whole_request_answers_are_classified(int status, string body, ServerReadKind kind)
    {
        await using var server = new ScriptedHttpServer(_ => new ScriptedResponse(status, body));
        using var transport = Transport(server.BaseUrl);

        var read = await transport.GetChangesAsync("ws", null, "41", 1000, count: false);

        Assert.Equal(kind, read.Kind);
        if (kind == ServerReadKind.Failed)
        {
            Assert.Equal(status, read.Failure!.StatusCode);
        }
    }

    [Fact]
    public async Task One_entity_is_read_and_a_missing_one_is_not_found()
    {
        await using var server = new ScriptedHttpServer(request => request.Path.Contains("missing", StringComparison.Ordinal)
            ? new ScriptedResponse(404, """{"code":"not_found","message":"never written"}""")
            : new ScriptedResponse(200, """{"entityId":"notes/a b.md","type":"document.put.v1","version":4,"payload":{"content":"x"},"deleted":false}"""));
        using var transport = Transport(server.BaseUrl);

        var found = await transport.GetEntityAsync("ws", null, "notes/a b.md");
        var missing = await transport.GetEntityAsync("ws", null, "notes/missing.md");

        Assert.Equal(new ChangeRecord("notes/a b.md", "document.put.v1", 4, """{"content":"x"}""", false), found.Value);
        Assert.Equal("/sync/entity?workspaceId=ws&entityId=notes%2Fa%20b.md", server.Requests[0].Path);
        Assert.Equal(ServerReadKind.NotFound, missing.Kind);
    }
}

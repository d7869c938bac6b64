using System.Net;
using System.Text;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Protocol;

/// <summary>Payloads are sliced out of the request body as raw bytes; whatever their kind or spelling they must
/// come back exactly as sent.</summary>
public abstract class PayloadFidelityTests(StoreKind store)
{
    private const string Workspace = "ws-payload";

    [SkippableTheory]
    [InlineData("""{ "a" : [1, 2.50, -3e2],  "é\u00e9" : "x\"y\\z" , "n":null }""")]
    [InlineData("""[ {"k":{}} , [] ]""")]
    [InlineData("\"just a string \\u2603 ☃\"")]
    [InlineData("42.0")]
    [InlineData("-7")]
    [InlineData("true")]
    [InlineData("false")]
    public async Task A_payload_is_stored_and_returned_byte_for_byte(string payload)
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        var body = $$$"""{"workspaceId":"{{{Workspace}}}","clientId":"c","commands":[{"commandId":"c1","idempotencyKey":"k1","type":"document.put.v1","entityId":"doc-1","payload":{{{payload}}}},{"commandId":"c2","idempotencyKey":"k2","type":"document.put.v1","entityId":"doc-1","expectedVersion":0,"payload":{}}]}""";

        using var response = await server.Api.PostCommandsRawAsync(body);
        var text = await response.Content.ReadAsStringAsync();
        using var changes = await server.Api.GetChangesAsync(Workspace);
        var changesText = await changes.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The conflict echoes the stored payload, as does the changes feed.
        Assert.Contains($"\"payload\":{payload}", text, StringComparison.Ordinal);
        Assert.Contains($"\"payload\":{payload}", changesText, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_body_starting_with_a_byte_order_mark_is_accepted()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        var json = $$$"""{"workspaceId":"{{{Workspace}}}","clientId":"c","commands":[{"commandId":"c1","idempotencyKey":"k1","type":"document.put.v1","entityId":"doc-1","payload":{"x":1}}]}""";
        using var content = new ByteArrayContent([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(json)]);
        content.Headers.ContentType = new("application/json");

        using var response = await server.Client.PostAsync(new Uri("/sync/commands", UriKind.Relative), content);
        var body = await SyncApi.ReadJsonAsync(response, HttpStatusCode.OK);

        Assert.Equal("applied", body["results"]![0]!["status"]!.GetValue<string>());
        Assert.Equal("""{"x":1}""", (await server.Api.GetEntityAsync(Workspace, "doc-1"))!["payload"]!.ToJsonString());
    }
}

public sealed class SqlitePayloadFidelityTests() : PayloadFidelityTests(StoreKind.Sqlite);

public sealed class PostgresPayloadFidelityTests() : PayloadFidelityTests(StoreKind.Postgres);

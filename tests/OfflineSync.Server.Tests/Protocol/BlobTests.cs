using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Protocol;

/// <summary>/sync/blobs/{sha256} and commands that name blobs (docs/sync-protocol.md, "Attachments").</summary>
public abstract class BlobTests(StoreKind store)
{
    private const string Workspace = "ws-blobs";

    [SkippableFact]
    public async Task A_blob_is_stored_once_per_workspace_checked_against_its_hash_and_read_back()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        var content = RandomNumberGenerator.GetBytes(70_000);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));

        using var before = await SendAsync(server, HttpMethod.Head, sha256, Workspace);
        using var first = await SendAsync(server, HttpMethod.Put, sha256, Workspace, content);
        using var again = await SendAsync(server, HttpMethod.Put, sha256, Workspace, content);
        using var forged = await SendAsync(server, HttpMethod.Put, new string('0', 64), Workspace, content);
        using var badName = await SendAsync(server, HttpMethod.Put, sha256.ToUpperInvariant(), Workspace, content);
        using var after = await SendAsync(server, HttpMethod.Head, sha256, Workspace);
        using var elsewhere = await SendAsync(server, HttpMethod.Get, sha256, "ws-other");
        using var read = await SendAsync(server, HttpMethod.Get, sha256, Workspace);

        Assert.Equal(
            [HttpStatusCode.NotFound, HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.NotFound],
            new[] { before, first, again, forged, badName, after, elsewhere }.Select(r => r.StatusCode).ToArray());
        Assert.Contains("hash_mismatch", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(content, await read.Content.ReadAsByteArrayAsync());
    }

    [SkippableFact]
    public async Task A_command_naming_a_blob_the_workspace_lacks_is_rejected_alone_and_touches_nothing()
    {
        await using var server = await RunningSyncServer.StartAsync(store);
        var held = RandomNumberGenerator.GetBytes(100);
        var heldSha = Convert.ToHexStringLower(SHA256.HashData(held));
        using (var put = await SendAsync(server, HttpMethod.Put, heldSha, Workspace, held))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var results = await server.Api.ApplyAsync(
            Workspace,
            WithAttachment(WireCommands.Put("k1", "doc-with", new JsonObject()), heldSha),
            WithAttachment(WireCommands.Put("k2", "doc-without", new JsonObject()), new string('e', 64)),
            WithAttachment(WireCommands.Put("k3", "doc-bad", new JsonObject()), "not-a-hash"));

        Assert.Equal(["applied", "rejected", "rejected"], results.Select(r => r!["status"]!.GetValue<string>()).ToArray());
        Assert.Equal(["attachment_missing", "validation_failed"], results.Skip(1).Select(r => r!["code"]!.GetValue<string>()).ToArray());
        using var untouched = await server.Api.GetSyncEntityAsync(Workspace, "doc-without");
        Assert.Equal(HttpStatusCode.NotFound, untouched.StatusCode);
    }

    private static JsonObject WithAttachment(JsonObject command, string sha256)
    {
        command["attachments"] = new JsonArray(new JsonObject { ["sha256"] = sha256, ["name"] = "file.bin", ["size"] = 100 });
        return command;
    }

    private static Task<HttpResponseMessage> SendAsync(RunningSyncServer server, HttpMethod method, string sha256, string workspaceId, byte[]? content = null)
    {
        var request = new HttpRequestMessage(method, $"/sync/blobs/{sha256}?workspaceId={workspaceId}");
        if (content is not null)
        {
            request.Content = new ByteArrayContent(content);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }

        return server.Client.SendAsync(request);
    }
}

public sealed class SqliteBlobTests() : BlobTests(StoreKind.Sqlite);

public sealed class PostgresBlobTests() : BlobTests(StoreKind.Postgres);

using System.Text.Json;
using NSubstitute;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Host.Tests.Support;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Tests.Serve;

public sealed class QueueMethodTests
{
    private static SqliteOperationStore OpenSecondHandle(InProcessSidecar sidecar) =>
        SqliteOperationStore.Open(new StoreOptions { DatabasePath = sidecar.Data.File("offline-sidecar.db") }, TimeProvider.System);

    [Fact]
    public async Task Enqueue_is_acknowledged_after_commit()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync();

        JsonElement ack = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/enqueue",
            "{\"type\":\"document.put.v1\",\"payload\":{\"title\":\"é\"},\"entityId\":\"doc-1\",\"priority\":\"high\",\"expectedVersion\":3}"));

        string id = ack.GetProperty("id").GetString()!;
        Assert.Equal("pending", ack.GetProperty("status").GetString());
        Assert.False(ack.GetProperty("coalesced").GetBoolean());
        // Another connection to the file sees the row as soon as the ack exists.
        await using SqliteOperationStore other = OpenSecondHandle(sidecar);
        OperationDetails? stored = await other.Workspace("ws").GetAsync(id);
        Assert.NotNull(stored);
        Assert.Equal("{\"title\":\"é\"}", stored.Operation.PayloadJson);
        Assert.Equal(OperationPriority.High, stored.Operation.Priority);
        sidecar.Engine.Received().Wake();
    }

    [Fact]
    public async Task Params_the_fuzzer_broke_are_refused_naming_the_field()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync();

        // Once a FormatException answered as -32603 internal error.
        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":1,\"expiresAt\":\"\"}"), -32602, "expiresAt");
        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":1,\"expiresAt\":\"2026-13-45T99:99:99Z\"}"), -32602, "expiresAt");
        // A positional record's parameter without a default is required like a `required` member: once bound as null.
        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/cache/pin", "{\"pinned\":true}"), -32602, "entityIds: required");
        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/resolveAll", "{}"), -32602, "resolution: required");
        Assert.Equal(0, JsonAssert.Result(await sidecar.RequestAsync("offlineSync/getStatus", "{}")).GetProperty("counts").GetProperty("pending").GetInt32());
    }

    [Fact]
    public async Task List_and_get_use_the_protocol_shapes()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync();
        string first = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":[1,2]}")).GetProperty("id").GetString()!;
        await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":3}");

        JsonElement page = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/listOperations", "{\"limit\":1}"));
        JsonElement details = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/getOperation", $"{{\"id\":\"{first}\"}}"));

        Assert.Equal(2, page.GetProperty("total").GetInt64());
        JsonElement item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(first, item.GetProperty("id").GetString());
        Assert.False(item.TryGetProperty("payload", out _));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("entityId").ValueKind);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("lastError").ValueKind);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", item.GetProperty("createdAt").GetString());
        Assert.Equal("normal", item.GetProperty("priority").GetString());
        Assert.Equal(JsonValueKind.String, page.GetProperty("nextCursor").ValueKind);
        Assert.Equal("[1,2]", details.GetProperty("operation").GetProperty("payload").GetRawText());
        Assert.Equal(0, details.GetProperty("attempts").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, details.GetProperty("conflict").ValueKind);
    }

    [Fact]
    public async Task Queue_errors_map_to_the_documented_codes()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync(",\"settings\":{\"maxPayloadBytes\":16}");

        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/getOperation", "{\"id\":\"nope\"}"), 1001);
        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/prioritize", "{\"id\":\"nope\"}"), 1001);
        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":\"this is longer than sixteen bytes\"}"), 1004, "payload");
        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"NotVersioned\",\"payload\":1}"), JsonRpcErrorCodes.InvalidParams, "type:");
        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/listOperations", "{\"limit\":501}"), JsonRpcErrorCodes.InvalidParams, "limit:");
        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/listOperations", "{\"statuses\":[\"lost\"]}"), JsonRpcErrorCodes.InvalidParams, "statuses[0]: invalid value");
        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/retry", "{}"), JsonRpcErrorCodes.InvalidParams, "ids:");
        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/export", "{\"path\":\"relative.json\"}"), JsonRpcErrorCodes.InvalidParams, "path: must be an absolute path");
    }

    [Fact]
    public async Task A_payload_escaping_a_lone_surrogate_is_refused_while_a_surrogate_pair_is_stored_as_sent()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync();

        // Valid JSON that no UTF-8 text can hold: refused here, where the caller can still fix it.
        JsonAssert.IsError(
            await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":{\"title\":\"a\\ud800b\"}}"),
            JsonRpcErrorCodes.InvalidParams,
            "payload: a string escapes a lone surrogate");
        JsonAssert.IsError(
            await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":{\"\\udc00\":1}}"),
            JsonRpcErrorCodes.InvalidParams,
            "payload: a string escapes a lone surrogate");
        string id = JsonAssert.Result(await sidecar.RequestAsync(
            "offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":{\"title\":\"\\ud83d\\ude00\"}}")).GetProperty("id").GetString()!;

        JsonElement stored = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/getOperation", $"{{\"id\":\"{id}\"}}"));
        Assert.Equal("\U0001F600", stored.GetProperty("operation").GetProperty("payload").GetProperty("title").GetString());
        Assert.Equal(1, JsonAssert.Result(await sidecar.RequestAsync("offlineSync/getStatus")).GetProperty("counts").GetProperty("pending").GetInt32());
    }

    [Fact]
    public async Task Update_of_an_operation_that_is_not_pending_is_invalid_state()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync();
        string id = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":1}")).GetProperty("id").GetString()!;
        await using (SqliteOperationStore other = OpenSecondHandle(sidecar))
        {
            Assert.Single(await other.Workspace("ws").ClaimEligibleAsync(10, DateTimeOffset.UtcNow.AddMinutes(1)));
        }

        JsonAssert.IsError(await sidecar.RequestAsync("offlineSync/updateOperation", $"{{\"id\":\"{id}\",\"payload\":2}}"), 1002);
        JsonElement discarded = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/discard", $"{{\"ids\":[\"{id}\"]}}"));
        Assert.Equal(0, discarded.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Update_prioritize_retry_discard_clear_round_trip()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync();
        string a = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":1}")).GetProperty("id").GetString()!;
        string b = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":2}")).GetProperty("id").GetString()!;

        JsonElement updated = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/updateOperation", $"{{\"id\":\"{a}\",\"payload\":{{\"v\":9}}}}"));
        JsonElement prioritized = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/prioritize", $"{{\"id\":\"{b}\"}}"));
        JsonElement retried = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/retry", "{\"allFailed\":true}"));
        JsonElement discarded = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/discard", $"{{\"ids\":[\"{a}\"]}}"));
        JsonElement cleared = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/clearQueue", "{\"statuses\":[\"pending\"]}"));

        Assert.Equal("{\"v\":9}", updated.GetProperty("payload").GetRawText());
        Assert.Equal("high", prioritized.GetProperty("priority").GetString());
        Assert.Equal(0, retried.GetProperty("count").GetInt32());
        Assert.Equal(1, discarded.GetProperty("count").GetInt32());
        Assert.Equal(1, cleared.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Export_then_import_into_another_workspace_store()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync();
        await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":{\"n\":1}}");
        await sidecar.RequestAsync("offlineSync/enqueue", "{\"type\":\"note.add.v1\",\"payload\":{\"n\":2}}");
        string file = sidecar.Data.File("export.json");

        JsonElement exported = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/export", $"{{\"path\":{JsonSerializer.Serialize(file)}}}"));
        JsonElement again = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/import", $"{{\"path\":{JsonSerializer.Serialize(file)}}}"));

        Assert.Equal(2, exported.GetProperty("count").GetInt32());
        using JsonDocument export = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        Assert.Equal("offline-sidecar-export", export.RootElement.GetProperty("format").GetString());
        Assert.Equal(0, again.GetProperty("count").GetInt32());
        Assert.Equal(2, again.GetProperty("skipped").GetInt32());
    }

    [Fact]
    public async Task Queue_changes_are_coalesced_to_a_few_notifications()
    {
        await using var sidecar = InProcessSidecar.Start();
        await sidecar.StartSessionAsync();
        const int count = 40;

        var frames = Enumerable.Range(1000, count)
            .SelectMany(id => Frames.Of($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"offlineSync/enqueue\",\"params\":{{\"type\":\"note.add.v1\",\"payload\":{id}}}}}"))
            .ToArray();
        await sidecar.Peer.SendRawAsync(frames);

        int acks = 0;
        var queueChanged = new List<JsonElement>();
        while (acks < count || queueChanged.Count == 0 || queueChanged[^1].GetProperty("params").GetProperty("counts").GetProperty("pending").GetInt64() < count)
        {
            JsonElement message = await sidecar.Peer.ReadAsync();
            if (!message.TryGetProperty("method", out JsonElement method))
            {
                acks++;
            }
            else if (method.GetString() == "offlineSync/queueChanged")
            {
                queueChanged.Add(message);
            }
        }

        Assert.InRange(queueChanged.Count, 1, 5);
    }
}

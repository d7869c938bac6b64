using System.Text.Json;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Storage.Space;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Protocol;
using OfflineSidecar.Host.Protocol.Cache;
using OfflineSidecar.Host.Protocol.Queue;
using OfflineSidecar.Host.Protocol.Serialization;
using OfflineSidecar.Host.Protocol.Storage;
using OfflineSidecar.Host.Protocol.Sync;
using OfflineSidecar.Host.Protocol.Workspace;

namespace OfflineSidecar.Host.Tests.Protocol;

public sealed class SerializationTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 11, 0, 0, 123, TimeSpan.FromHours(1));

    [Fact]
    public void Operation_uses_camel_case_utc_millisecond_times_and_writes_nulls_but_omits_an_absent_payload()
    {
        var operation = new OperationDto
        {
            Id = "01", WorkspaceId = "ws", Type = "note.add.v1", EntityId = null, PayloadBytes = 2, IdempotencyKey = "k",
            DedupKey = null, ExpectedVersion = null, Priority = OperationPriority.High, Status = OperationStatus.Conflict,
            Attempts = 1, NextAttemptAt = null, LastError = new OperationErrorDto("conflict", "version"), CreatedAt = Noon, ServerCreatedAt = null, UpdatedAt = Noon,
            ExpiresAt = Noon, ClientTraceId = null,
            Attachments = [new AttachmentDto(new string('a', 64), "scan.pdf", "application/pdf", 3)],
        };

        string json = JsonSerializer.Serialize(operation, ProtocolJsonContext.Default.OperationDto);

        Assert.Equal(
            "{\"id\":\"01\",\"workspaceId\":\"ws\",\"type\":\"note.add.v1\",\"entityId\":null,\"payloadBytes\":2,\"idempotencyKey\":\"k\","
            + "\"dedupKey\":null,\"expectedVersion\":null,\"priority\":\"high\",\"status\":\"conflict\",\"attempts\":1,\"nextAttemptAt\":null,"
            + "\"lastError\":{\"code\":\"conflict\",\"message\":\"version\"},\"createdAt\":\"2026-11-22T10:00:00.123Z\",\"serverCreatedAt\":null,\"updatedAt\":\"2026-11-22T10:00:00.123Z\","
            + "\"expiresAt\":\"2026-11-22T10:00:00.123Z\",\"clientTraceId\":null,"
            + "\"attachments\":[{\"sha256\":\"" + new string('a', 64) + "\",\"name\":\"scan.pdf\",\"mediaType\":\"application/pdf\",\"size\":3}]}",
            json);
        Assert.Contains("\"payload\":{\"a\": [1, 2]}", JsonSerializer.Serialize(operation with { Payload = new RawJson("{\"a\": [1, 2]}") }, ProtocolJsonContext.Default.OperationDto), StringComparison.Ordinal);
    }

    [Fact]
    public void Enumerations_are_lower_camel_case_words()
    {
        var status = new SyncStatus(Connectivity.WorkingOffline, false, new QueueCountsDto(1, 0, 0, 0, 0), null, null, null, true, false, null, new CacheStatusDto(0, 0, 1), null, null, null, new StorageStatusDto(1024, SpaceLevel.Critical, 4096, 512));

        string json = JsonSerializer.Serialize(status, ProtocolJsonContext.Default.SyncStatus);

        Assert.Contains("\"connectivity\":\"workingOffline\"", json, StringComparison.Ordinal);
        Assert.Contains("\"connectivity\":\"accessRevoked\"", JsonSerializer.Serialize(status with { Connectivity = Connectivity.AccessRevoked }, ProtocolJsonContext.Default.SyncStatus), StringComparison.Ordinal);
        Assert.Contains("\"serverUrl\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"storage\":{\"freeBytes\":1024,\"level\":\"critical\",\"warningBytes\":4096,\"criticalBytes\":512}", json, StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("{\"syncMode\":1}", ProtocolJsonContext.Default.DidChangeConfigurationParams.Options.GetTypeInfo(typeof(PartialSettings))));
    }

    [Fact]
    public void Server_url_distinguishes_absent_from_null()
    {
        var absent = JsonSerializer.Deserialize("{\"settings\":{\"offlineSync\":{\"batchSize\":3}}}", ProtocolJsonContext.Default.DidChangeConfigurationParams)!;
        var cleared = JsonSerializer.Deserialize("{\"settings\":{\"offlineSync\":{\"serverUrl\":null}}}", ProtocolJsonContext.Default.DidChangeConfigurationParams)!;

        Assert.Equal(JsonValueKind.Undefined, absent.Settings!.OfflineSync!.ServerUrl.ValueKind);
        Assert.Equal(3, absent.Settings.OfflineSync.BatchSize);
        Assert.Equal(JsonValueKind.Null, cleared.Settings!.OfflineSync!.ServerUrl.ValueKind);
    }

    [Fact]
    public void Sync_event_omits_summary_members_unless_present()
    {
        var failed = new SyncEventParams { Kind = SyncEventKind.OperationFailed, Counts = new QueueCountsDto(0, 0, 1, 0, 0), Ids = ["a"], Message = null };

        string json = JsonSerializer.Serialize(failed, ProtocolJsonContext.Default.SyncEventParams);

        Assert.Equal("{\"kind\":\"operationFailed\",\"counts\":{\"pending\":0,\"syncing\":0,\"failed\":1,\"conflict\":0,\"succeeded\":0},\"ids\":[\"a\"],\"message\":null}", json);
    }
}

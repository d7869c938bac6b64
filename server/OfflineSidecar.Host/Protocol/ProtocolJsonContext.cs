using System.Text.Json.Serialization;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Storage.Space;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Host.Protocol.Cache;
using OfflineSidecar.Host.Protocol.Lifecycle;
using OfflineSidecar.Host.Protocol.Queue;
using OfflineSidecar.Host.Protocol.Serialization;
using OfflineSidecar.Host.Protocol.Sync;
using OfflineSidecar.Host.Protocol.Window;
using OfflineSidecar.Host.Protocol.Workspace;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Protocol;

/// <summary>
/// Source-generated (de)serialization of every protocol type: no reflection at startup.
/// Nulls are written unless a member is optional in docs/protocol.md (marked WhenWritingNull there).
/// DTOs whose Core twin has the same name carry a Dto suffix.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    Converters =
    [
        typeof(UtcTimestampConverter),
        typeof(CamelCaseEnumConverter<OperationStatus>),
        typeof(CamelCaseEnumConverter<OperationPriority>),
        typeof(CamelCaseEnumConverter<Connectivity>),
        typeof(CamelCaseEnumConverter<ConflictResolution>),
        typeof(CamelCaseEnumConverter<SyncEventKind>),
        typeof(CamelCaseEnumConverter<SyncMode>),
        typeof(CamelCaseEnumConverter<SynchronousMode>),
        typeof(CamelCaseEnumConverter<WorkDoneProgressKind>),
        typeof(CamelCaseEnumConverter<MessageDirection>),
        typeof(CamelCaseEnumConverter<MessageKind>),
        typeof(CamelCaseEnumConverter<CacheState>),
        typeof(CamelCaseEnumConverter<BulkResolution>),
        typeof(CamelCaseEnumConverter<SpaceLevel>),
    ])]
[JsonSerializable(typeof(EmptyParams))]
[JsonSerializable(typeof(EmptyResult))]
[JsonSerializable(typeof(NullResult))]
[JsonSerializable(typeof(CancelParams))]
[JsonSerializable(typeof(InitializeParams))]
[JsonSerializable(typeof(InitializeResult))]
[JsonSerializable(typeof(LogMessageParams))]
[JsonSerializable(typeof(ShowMessageParams))]
[JsonSerializable(typeof(WorkDoneProgressCreateParams))]
[JsonSerializable(typeof(ProgressParams))]
[JsonSerializable(typeof(DidChangeConfigurationParams))]
[JsonSerializable(typeof(EnqueueParams))]
[JsonSerializable(typeof(EnqueueResultDto))]
[JsonSerializable(typeof(ListOperationsParams))]
[JsonSerializable(typeof(ListOperationsResult))]
[JsonSerializable(typeof(OperationIdParams))]
[JsonSerializable(typeof(OperationDetailsDto))]
[JsonSerializable(typeof(OperationDto))]
[JsonSerializable(typeof(RetryParams))]
[JsonSerializable(typeof(CountResult))]
[JsonSerializable(typeof(DiscardParams))]
[JsonSerializable(typeof(UpdateOperationParams))]
[JsonSerializable(typeof(ClearQueueParams))]
[JsonSerializable(typeof(PathParams))]
[JsonSerializable(typeof(ImportResultDto))]
[JsonSerializable(typeof(QueueChangedParams))]
[JsonSerializable(typeof(QueueCountsDto))]
[JsonSerializable(typeof(SyncStatus))]
[JsonSerializable(typeof(SyncNowResult))]
[JsonSerializable(typeof(SetWorkOfflineParams))]
[JsonSerializable(typeof(SetCredentialsParams))]
[JsonSerializable(typeof(SignOutParams))]
[JsonSerializable(typeof(SignOutResult))]
[JsonSerializable(typeof(ResolveConflictParams))]
[JsonSerializable(typeof(ResolveConflictResult))]
[JsonSerializable(typeof(SyncEventParams))]
[JsonSerializable(typeof(WorkDoneProgressCancelParams))]
[JsonSerializable(typeof(ResolveAllParams))]
[JsonSerializable(typeof(ResolveAllResult))]
[JsonSerializable(typeof(PullResultDto))]
[JsonSerializable(typeof(CacheEntityParams))]
[JsonSerializable(typeof(CacheEntryDto))]
[JsonSerializable(typeof(CacheStatResult))]
[JsonSerializable(typeof(CacheListParams))]
[JsonSerializable(typeof(CacheListResult))]
[JsonSerializable(typeof(CachePinParams))]
[JsonSerializable(typeof(CacheOpenedParams))]
[JsonSerializable(typeof(CacheUnsyncedParams))]
[JsonSerializable(typeof(CacheUnsyncedResult))]
[JsonSerializable(typeof(CacheChangedParams))]
[JsonSerializable(typeof(IReadOnlyList<MessageDescription>))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Storage.Salvage;
using OfflineSidecar.Host.Protocol.Cache;
using OfflineSidecar.Host.Protocol.Queue;
using OfflineSidecar.Host.Protocol.Serialization;

namespace OfflineSidecar.Host.Cli;

/// <summary>The CLI's <c>--json</c> output; same conventions as the protocol (camelCase, camelCase enums, UTC times).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    Converters =
    [
        typeof(UtcTimestampConverter),
        typeof(CamelCaseEnumConverter<OperationStatus>),
        typeof(CamelCaseEnumConverter<OperationPriority>),
        typeof(CamelCaseEnumConverter<CacheState>),
    ])]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(ListOperationsResult))]
[JsonSerializable(typeof(CountResult))]
[JsonSerializable(typeof(ImportResultDto))]
[JsonSerializable(typeof(SyncReport))]
[JsonSerializable(typeof(PullReport))]
[JsonSerializable(typeof(CacheListResult))]
[JsonSerializable(typeof(CacheEntryDto))]
[JsonSerializable(typeof(AccountsReport))]
[JsonSerializable(typeof(DoctorReport))]
[JsonSerializable(typeof(SalvageReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

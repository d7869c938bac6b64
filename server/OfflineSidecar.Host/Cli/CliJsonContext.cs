using System.Text.Json.Serialization;
using OfflineSidecar.Core.Operations;
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
    ])]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(ListOperationsResult))]
[JsonSerializable(typeof(CountResult))]
[JsonSerializable(typeof(ImportResultDto))]
[JsonSerializable(typeof(SyncReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

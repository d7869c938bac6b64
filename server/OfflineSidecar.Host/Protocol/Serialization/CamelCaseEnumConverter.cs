using System.Text.Json;
using System.Text.Json.Serialization;

namespace OfflineSidecar.Host.Protocol.Serialization;

/// <summary>Enumerations travel as lower camel-case strings; numbers are refused so typos cannot slip through.</summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;

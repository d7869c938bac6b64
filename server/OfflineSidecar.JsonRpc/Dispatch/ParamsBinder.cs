using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.JsonRpc.Dispatch;

/// <summary>
/// Turns a message's <c>params</c> into the handler's type, or throws -32602 naming the offending field
/// (<c>"payload: required"</c>, <c>"limit: invalid value"</c>). Absent params bind like <c>{}</c>.
/// </summary>
internal static class ParamsBinder
{
    public static T Bind<T>(JsonElement? raw, JsonTypeInfo<T> typeInfo)
    {
        if (raw is not { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } element)
        {
            using JsonDocument empty = JsonDocument.Parse("{}"u8.ToArray());
            return Bind(empty.RootElement, typeInfo);
        }

        if (typeInfo.Kind == JsonTypeInfoKind.Object)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw JsonRpcException.InvalidParams("params", "must be an object");
            }

            CheckRequired(element, typeInfo, prefix: "");
        }

        try
        {
            return element.Deserialize(typeInfo) ?? throw JsonRpcException.InvalidParams("params", "must not be null");
        }
        catch (JsonException ex)
        {
            string field = FieldOf(ex.Path);
            string problem = IsNullAt(element, field) ? "must not be null" : "invalid value";
            throw JsonRpcException.InvalidParams(field, problem);
        }
    }

    // Checked before deserializing because the serializer's own message for missing members does not
    // carry a path, and the protocol promises the field name.
    private static void CheckRequired(JsonElement obj, JsonTypeInfo typeInfo, string prefix)
    {
        foreach (JsonPropertyInfo property in typeInfo.Properties)
        {
            string path = prefix + property.Name;
            if (!obj.TryGetProperty(property.Name, out JsonElement value))
            {
                // A positional record's parameter without a default is as required as a `required` member: bound
                // missing, it would reach the handler as null (or 0, false) although its type says it is always there.
                if (property.IsRequired || property.AssociatedParameter is { HasDefaultValue: false, IsNullable: false, IsMemberInitializer: false })
                {
                    throw JsonRpcException.InvalidParams(path, "required");
                }

                continue;
            }

            if (value.ValueKind == JsonValueKind.Object)
            {
                JsonTypeInfo nested = typeInfo.Options.GetTypeInfo(property.PropertyType);
                if (nested.Kind == JsonTypeInfoKind.Object)
                {
                    CheckRequired(value, nested, path + ".");
                }
            }
        }
    }

    /// <summary>"$.a.b[2]" → "a.b[2]"; the whole params object → "params".</summary>
    private static string FieldOf(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "params";
        }

        return jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
    }

    private static bool IsNullAt(JsonElement root, string dottedField)
    {
        JsonElement current = root;
        foreach (string name in dottedField.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return false;
            }
        }

        return current.ValueKind == JsonValueKind.Null;
    }
}

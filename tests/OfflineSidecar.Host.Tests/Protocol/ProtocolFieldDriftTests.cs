using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OfflineSidecar.Host.Protocol;
using OfflineSidecar.Host.Protocol.Serialization;
using OfflineSidecar.Host.Tests.Support;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Tests.Protocol;

/// <summary>
/// The sidecar's protocol records (as its source-generated serializer writes and reads them) and the interfaces of
/// extension/src/protocol.ts name the same fields with the same JSON kinds, nested types included, for every
/// offlineSync message; a field one side lets be null or absent (TypeScript <c>?</c> or <c>| null</c>, a nullable C#
/// member) is marked <c>?</c> and must be so on both, except for fields of any JSON value (<c>unknown</c>, RawJson). tests/extension/protocol-drift.test.ts checks the methods and directions.
/// </summary>
public sealed class ProtocolFieldDriftTests
{
    private static readonly Lazy<TypeScriptDeclarations> TypeScript =
        new(() => new TypeScriptDeclarations(File.ReadAllText(RepositoryFiles.Path("extension/src/protocol.ts"))));

    private static IEnumerable<string> SidecarMethods =>
        ProtocolCatalog.All.Select(m => m.Method).Where(method => method.StartsWith("offlineSync/", StringComparison.Ordinal));

    public static TheoryData<string> Methods() => [.. SidecarMethods];

    [Fact]
    public void Protocol_ts_declares_a_typed_message_for_every_offline_sync_method() =>
        Assert.Equal(SidecarMethods.Order(StringComparer.Ordinal), TypeScript.Value.Messages().Keys.Where(m => m.StartsWith("offlineSync/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Methods))]
    public void Params_have_the_same_fields_and_kinds_on_both_sides(string method)
    {
        var message = ProtocolCatalog.All.Single(m => m.Method == method);
        var declared = TypeScript.Value.Messages()[method].Params;
        var sidecar = Shape(TypeInfo(message, "ParamsType"));
        var editor = declared is null ? JsonShape.Object([]) : TypeScript.Value.Shape(declared);
        Assert.Equal(editor.Lines("params"), sidecar.Lines("params"));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Results_have_the_same_fields_and_kinds_on_both_sides(string method)
    {
        var message = ProtocolCatalog.All.Single(m => m.Method == method);
        if (message.Kind != MessageKind.Request)
        {
            return;
        }

        var sidecar = Shape(TypeInfo(message, "ResultType"));
        var editor = TypeScript.Value.Shape(TypeScript.Value.Messages()[method].Result!);
        Assert.Equal(editor.Lines("result"), sidecar.Lines("result"));
    }

    [Fact]
    public void A_renamed_retyped_or_optional_field_is_seen()
    {
        var source = TypeScript.Value.Source;
        var renamed = new TypeScriptDeclarations(source.Replace("coalesced: boolean", "merged: boolean", StringComparison.Ordinal));
        var retyped = new TypeScriptDeclarations(source.Replace("coalesced: boolean", "coalesced: string", StringComparison.Ordinal));
        var optional = new TypeScriptDeclarations(source.Replace("coalesced: boolean", "coalesced?: boolean", StringComparison.Ordinal));
        var sidecar = Shape(TypeInfo(OfflineSyncMethods.Enqueue, "ResultType")).Lines("result");
        Assert.Equal(TypeScript.Value.Shape("EnqueueResult").Lines("result"), sidecar);
        Assert.NotEqual(renamed.Shape("EnqueueResult").Lines("result"), sidecar);
        Assert.NotEqual(retyped.Shape("EnqueueResult").Lines("result"), sidecar);
        Assert.NotEqual(optional.Shape("EnqueueResult").Lines("result"), sidecar);
    }

    private static JsonTypeInfo TypeInfo(MessageType message, string property) =>
        (JsonTypeInfo)message.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance)!.GetValue(message)!;

    /// <summary>The shape the sidecar's serializer gives a type: its JSON property names, converters included.</summary>
    private static JsonShape Shape(JsonTypeInfo info, int depth = 0)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (type == typeof(string) || type.IsEnum || type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return JsonShape.String;
        }

        if (type == typeof(bool))
        {
            return JsonShape.Boolean;
        }

        if (type.IsPrimitive || type == typeof(decimal))
        {
            return JsonShape.Number;
        }

        if (type == typeof(JsonElement) || type == typeof(object) || type == typeof(RawJson))
        {
            return JsonShape.Any;
        }

        if (info.Kind == JsonTypeInfoKind.Enumerable)
        {
            return JsonShape.Array(Shape(ProtocolJsonContext.Default.GetTypeInfo(info.ElementType!)!, depth + 1));
        }

        if (info.Kind != JsonTypeInfoKind.Object || depth > 6)
        {
            throw new NotSupportedException($"{type}: {info.Kind}");
        }

        return JsonShape.Object(info.Properties
            .Select(p => new JsonField(p.Name, Shape(ProtocolJsonContext.Default.GetTypeInfo(p.PropertyType)!, depth + 1), Optional: false, p.IsGetNullable || p.IsSetNullable))
            .ToList());
    }
}

namespace OfflineSidecar.Host.Tests.Protocol;

/// <summary>What a value looks like on the wire: a JSON kind, and for objects their fields, for arrays their items.</summary>
internal sealed record JsonShape(string Kind, IReadOnlyList<JsonField>? Fields = null, JsonShape? Items = null)
{
    public static readonly JsonShape String = new("string");
    public static readonly JsonShape Number = new("number");
    public static readonly JsonShape Boolean = new("boolean");

    /// <summary>Any JSON value (TypeScript <c>unknown</c>, C# <c>JsonElement</c>).</summary>
    public static readonly JsonShape Any = new("any");

    public static JsonShape Object(IReadOnlyList<JsonField> fields) => new("object", fields);

    public static JsonShape Array(JsonShape items) => new("array", Items: items);

    /// <summary>One line per field, "path: kind", so a failure names exactly what differs.</summary>
    public IEnumerable<string> Lines(string path, int depth = 0)
    {
        if (depth > 6)
        {
            yield break;
        }

        if (Kind == "array")
        {
            foreach (var line in Items!.Lines(path + "[]", depth + 1))
            {
                yield return line;
            }

            yield break;
        }

        yield return $"{path}: {Kind}";
        foreach (var field in Fields ?? [])
        {
            // Any JSON value includes null, and the C# side cannot say "optional" apart from "nullable" for it.
            var name = (field.Optional || field.Nullable) && field.Shape.Kind != "any" ? field.Name + "?" : field.Name;
            foreach (var line in field.Shape.Lines($"{path}.{name}", depth + 1))
            {
                yield return line;
            }
        }
    }
}

internal sealed record JsonField(string Name, JsonShape Shape, bool Optional, bool Nullable);

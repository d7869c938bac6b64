using System.Text.RegularExpressions;

namespace OfflineSidecar.Host.Tests.Protocol;

/// <summary>
/// Just enough of a reader of extension/src/protocol.ts to list each message's params and result as JSON shapes:
/// its interfaces, type aliases and <c>new Protocol…Type&lt;…&gt;(method)</c> declarations. Not a TypeScript parser:
/// it knows the forms that file uses, and fails loudly on any other.
/// </summary>
internal sealed class TypeScriptDeclarations
{
    private static readonly Regex Comments = new(@"/\*[\s\S]*?\*/|//[^\n]*", RegexOptions.Compiled);
    private static readonly Regex Interface = new(@"export interface (\w+)(?:\s+extends\s+([^{]+?))?\s*\{", RegexOptions.Compiled);
    private static readonly Regex Alias = new(@"export type (\w+)\s*=", RegexOptions.Compiled);
    private static readonly Regex Message = new(
        @"export namespace \w+ \{\s*export const method = '([^']+)' as const;[^}]*?export const type = new (ProtocolRequestType0|ProtocolRequestType|ProtocolNotificationType)<",
        RegexOptions.Compiled);

    private readonly Dictionary<string, string> interfaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> aliases = new(StringComparer.Ordinal);

    public TypeScriptDeclarations(string source)
    {
        Source = Comments.Replace(source, "");
        foreach (Match match in Interface.Matches(Source))
        {
            var body = Braced(Source, match.Index + match.Length - 1);
            var bases = match.Groups[2].Success ? match.Groups[2].Value.Trim() + " & " : "";
            interfaces[match.Groups[1].Value] = bases + "{" + body + "}";
        }

        foreach (Match match in Alias.Matches(Source))
        {
            var rest = Source[(match.Index + match.Length)..];
            aliases[match.Groups[1].Value] = SplitTopLevel(rest, ';')[0];
        }
    }

    public string Source { get; }

    /// <summary>method → (params type text or null, result type text or null), for messages declared with a literal method.</summary>
    public Dictionary<string, (string? Params, string? Result)> Messages()
    {
        var messages = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
        foreach (Match match in Message.Matches(Source))
        {
            var arguments = SplitTopLevel(Angled(Source, match.Index + match.Length - 1), ',');
            messages[match.Groups[1].Value] = match.Groups[2].Value switch
            {
                "ProtocolRequestType0" => (null, arguments[0]),
                "ProtocolRequestType" => (arguments[0], arguments[1]),
                _ => (arguments[0], null),
            };
        }

        return messages;
    }

    /// <summary>The JSON shape of a type written in protocol.ts.</summary>
    public JsonShape Shape(string type)
    {
        type = type.Trim();
        var alternatives = SplitTopLevel(type, '|').Where(t => t != "null").ToList();
        if (alternatives.Count > 1)
        {
            var shapes = alternatives.Select(Shape).ToList();
            if (shapes.TrueForAll(shape => shape.Kind == "object"))
            {
                // A tagged union: one object with the fields of every alternative, optional where some lack them.
                return JsonShape.Object(shapes.SelectMany(shape => shape.Fields!).DistinctBy(field => field.Name)
                    .Select(field => field with { Optional = field.Optional || !shapes.TrueForAll(shape => shape.Fields!.Any(f => f.Name == field.Name)) })
                    .ToList());
            }

            var kinds = shapes.Select(shape => shape.Kind).Distinct().ToList();
            return kinds.Count == 1 ? shapes[0] : throw new NotSupportedException("a union of different shapes: " + type);
        }

        type = alternatives[0];
        if (type.StartsWith('\'') || type is "string")
        {
            return JsonShape.String;
        }

        if (type is "number")
        {
            return JsonShape.Number;
        }

        if (type is "boolean")
        {
            return JsonShape.Boolean;
        }

        if (type is "unknown")
        {
            return JsonShape.Any;
        }

        if (type is "Record<string, never>")
        {
            return JsonShape.Object([]);
        }

        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            return JsonShape.Array(Shape(type[..^2]));
        }

        if (type.StartsWith("Partial<", StringComparison.Ordinal))
        {
            var whole = Shape(type["Partial<".Length..^1]);
            return JsonShape.Object(whole.Fields!.Select(f => f with { Optional = true }).ToList());
        }

        if (type.StartsWith('{'))
        {
            return JsonShape.Object(Members(type[1..^1]));
        }

        var parts = SplitTopLevel(type, '&');
        if (parts.Count > 1)
        {
            return JsonShape.Object(parts.SelectMany(part => Shape(part).Fields!).ToList());
        }

        if (interfaces.TryGetValue(type, out var declared))
        {
            return Shape(declared);
        }

        if (aliases.TryGetValue(type, out var aliased))
        {
            return Shape(aliased);
        }

        throw new NotSupportedException("a type this reader does not know: " + type);
    }

    private List<JsonField> Members(string body) =>
        SplitTopLevel(body.Replace('\n', ';'), ';')
            .Where(member => member.Length > 0)
            .Select(member =>
            {
                var colon = member.IndexOf(':', StringComparison.Ordinal);
                var name = member[..colon].Trim();
                var optional = name.EndsWith('?');
                var type = member[(colon + 1)..].Trim();
                return new JsonField(name.TrimEnd('?'), Shape(type), optional, SplitTopLevel(type, '|').Contains("null"));
            })
            .ToList();

    private static string Braced(string text, int open) => Enclosed(text, open, '{', '}');

    private static string Angled(string text, int open) => Enclosed(text, open, '<', '>');

    private static string Enclosed(string text, int open, char opening, char closing)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == opening)
            {
                depth++;
            }
            else if (text[i] == closing && --depth == 0)
            {
                return text[(open + 1)..i];
            }
        }

        throw new FormatException("unbalanced " + opening);
    }

    private static List<string> SplitTopLevel(string text, char separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] is '{' or '<' or '(' or '[' ? 1 : text[i] is '}' or '>' or ')' or ']' ? -1 : 0;
            if (depth == 0 && text[i] == separator)
            {
                parts.Add(text[start..i].Trim());
                start = i + 1;
            }
        }

        parts.Add(text[start..].Trim());
        return parts;
    }
}

using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using OfflineSidecar.Host.Protocol;
using OfflineSidecar.Host.Tests.Support;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Tests.Protocol;

public sealed partial class ProtocolCatalogTests
{
    [GeneratedRegex(@"^### `(?<method>[^`]+)` \((?<direction>client → server|server → client|both)\)", RegexOptions.Multiline)]
    private static partial Regex MethodHeading();

    private static IEnumerable<MessageType> Declared() =>
        new[] { typeof(LspMethods), typeof(OfflineSyncMethods) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Select(f => f.GetValue(null))
            .OfType<MessageType>();

    [Fact]
    public void Catalog_lists_every_declaration_once()
    {
        Assert.Equal(Declared().Select(m => m.Method).Order(), ProtocolCatalog.All.Select(m => m.Method).Order());
        Assert.Equal(ProtocolCatalog.All.Count, ProtocolCatalog.All.Select(m => m.Method).Distinct().Count());
    }

    [Fact]
    public async Task Catalog_matches_every_method_heading_of_the_protocol_document()
    {
        string document = await File.ReadAllTextAsync(RepositoryFiles.Path("docs/protocol.md"));
        var documented = MethodHeading().Matches(document)
            .Select(m => (m.Groups["method"].Value, m.Groups["direction"].Value switch
            {
                "client → server" => MessageDirection.ClientToServer,
                "server → client" => MessageDirection.ServerToClient,
                _ => MessageDirection.Both,
            }))
            .ToList();

        Assert.Equal(documented, ProtocolCatalog.All.Select(m => (m.Method, m.Direction)));
    }

    [Fact]
    public async Task Protocol_json_command_prints_the_catalog()
    {
        CliRun run = await CliRun.RunAsync("protocol", "--json");

        JsonElement printed = run.Json();
        Assert.Equal(
            ProtocolCatalog.All.Select(m => $"{m.Method}|{Word(m.Direction)}|{Word(m.Kind)}"),
            printed.EnumerateArray().Select(e => $"{e.GetProperty("method").GetString()}|{e.GetProperty("direction").GetString()}|{e.GetProperty("kind").GetString()}"));
        Assert.Contains(printed.EnumerateArray(), e => e.GetProperty("method").GetString() == "$/cancelRequest" && e.GetProperty("direction").GetString() == "both");
        Assert.Contains(printed.EnumerateArray(), e => e.GetProperty("method").GetString() == "window/workDoneProgress/create" && e.GetProperty("kind").GetString() == "request");
    }

    private static string Word(MessageDirection direction) => direction switch
    {
        MessageDirection.ClientToServer => "clientToServer",
        MessageDirection.ServerToClient => "serverToClient",
        _ => "both",
    };

    private static string Word(MessageKind kind) => kind == MessageKind.Request ? "request" : "notification";
}

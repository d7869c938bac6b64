using System.CommandLine;
using System.Globalization;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Host.Mapping;
using OfflineSidecar.Host.Protocol.Cache;

namespace OfflineSidecar.Host.Cli.Commands;

/// <summary><c>offline-sidecar cache list|get|pin|unpin</c>: the op cache on the same store, as reads see it (queue overlaid).</summary>
internal static class CacheCommand
{
    public static Command Create()
    {
        var cache = new Command("cache", "The op cache: the server's documents kept for offline use, with the queue's changes overlaid");
        cache.Subcommands.Add(List());
        cache.Subcommands.Add(Get());
        cache.Subcommands.Add(Pin("pin", pinned: true, "Keep documents available offline (never evicted)"));
        cache.Subcommands.Add(Pin("unpin", pinned: false, "Let documents be evicted again when the cache is over its budget"));
        return cache;
    }

    private static Command List()
    {
        var options = new StoreCommandOptions();
        var prefix = new Option<string?>("--prefix") { Description = "Only ids starting with this (a folder is notes/)" };
        var limit = new Option<int>("--limit") { Description = $"At most this many (1-{CacheListQuery.MaxLimit})", DefaultValueFactory = _ => CacheListQuery.DefaultLimit };
        var command = new Command("list", "List cached documents in id order") { prefix, limit };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliCommandRunner.RunAsync(async () =>
        {
            StoreCommandSettings settings = options.Read(parse);
            await using CliStore store = await CliStore.OpenAsync(settings);
            CachePage page = await store.Cache.ListAsync(new CacheListQuery(parse.GetValue(prefix), null, null, parse.GetValue(limit)), cancellationToken);
            bool stale = await IsStaleAsync(store, cancellationToken);
            if (settings.Json)
            {
                var result = new CacheListResult(page.Items.Select(e => ProtocolMapper.ToDto(e, stale)).ToArray(), page.Folders, page.NextCursor, page.Total);
                CliOutput.WriteJson(Console.Out, result, CliJsonContext.Default.CacheListResult);
                return CliExitCodes.Ok;
            }

            var table = new TableWriter("ID", "STATE", "VERSION", "SIZE", "EVICTED", "PINNED");
            foreach (CacheEntry entry in page.Items)
            {
                table.Add(entry.EntityId, CliText.Of(entry.State), Number(entry.Version), Number(entry.Size), entry.Evicted ? "yes" : "-", entry.Pinned ? "yes" : "-");
            }

            table.WriteTo(Console.Out);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{page.Items.Count} of {page.Total} documents{(stale ? " (may be behind the server: not pulled recently)" : "")}"));
            return CliExitCodes.Ok;
        }, Console.Error));
        return command;
    }

    private static Command Get()
    {
        var options = new StoreCommandOptions();
        var id = new Argument<string>("id") { Description = "The document's id (its path, e.g. notes/meeting.md)" };
        var command = new Command("get", "Print a document's content (a text document's text, else its JSON)") { id };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliCommandRunner.RunAsync(async () =>
        {
            StoreCommandSettings settings = options.Read(parse);
            string entityId = parse.GetValue(id)!;
            await using CliStore store = await CliStore.OpenAsync(settings);
            CacheEntry entry = await store.Cache.GetAsync(entityId, cancellationToken)
                ?? throw new QueueException(QueueErrorKind.NotFound, $"not found: no document {entityId}");
            if (entry.PayloadJson is null)
            {
                throw new QueueException(QueueErrorKind.NotAvailableOffline, $"{entityId} is not available offline: its content was evicted (open it while online, or pin it)");
            }

            if (settings.Json)
            {
                CliOutput.WriteJson(Console.Out, ProtocolMapper.ToDto(entry, await IsStaleAsync(store, cancellationToken)), CliJsonContext.Default.CacheEntryDto);
            }
            else
            {
                Console.Out.Write(DocumentPayload.TryReadContent(entry.PayloadJson) ?? entry.PayloadJson + Environment.NewLine);
            }

            return CliExitCodes.Ok;
        }, Console.Error));
        return command;
    }

    private static Command Pin(string name, bool pinned, string description)
    {
        var options = new StoreCommandOptions();
        var ids = new Argument<string[]>("id") { Description = "Document ids", Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, description) { ids };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliCommandRunner.RunAsync(async () =>
        {
            StoreCommandSettings settings = options.Read(parse);
            await using CliStore store = await CliStore.OpenAsync(settings);
            int changed = await store.Cache.PinAsync(parse.GetValue(ids)!, pinned, cancellationToken);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{changed} document{(changed == 1 ? "" : "s")} {(pinned ? "pinned" : "unpinned")}"));
            return CliExitCodes.Ok;
        }, Console.Error));
        return command;
    }

    /// <summary>Without a running engine the CLI cannot tell connectivity: stale when no pull ended within a minute.</summary>
    private static async Task<bool> IsStaleAsync(CliStore store, CancellationToken cancellationToken) =>
        (await store.Cache.GetPullStateAsync(cancellationToken)).LastPulledAt is not { } at || DateTimeOffset.UtcNow - at > TimeSpan.FromMinutes(1);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}

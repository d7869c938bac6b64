using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Documents;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Core.Sync.Flush;
using OfflineSidecar.Integration.Tests.Support;
using Xunit.Abstractions;
using ConnectivityState = OfflineSidecar.Core.Sync.Connectivity;

namespace OfflineSidecar.Integration.Tests.Documents;

/// <summary>The op cache of the real engine and store against the real reference server process: pull, offline reads,
/// saves that reach the server once, and conflicts merged three ways or left for the user.</summary>
public sealed class DocumentsAgainstServerTests(ITestOutputHelper output)
{
    private const string Ws = EngineRig.WorkspaceId;
    private const string Base = "# Meeting\nagenda: budget\nowner: ann\nnext: friday\n";

    [Fact]
    public async Task A_pull_brings_every_document_and_reads_keep_working_once_the_server_is_gone()
    {
        using var serverData = new TempDirectory("server");
        var server = await SyncServerProcess.StartAsync(serverData.Path);
        await server.SeedDocumentsAsync(Ws, 2500, i => $"notes/{i:D4}.md", i => $"note {i}\n");
        await using var rig = await StartAsync(server.Url);

        var result = await rig.Engine.PullAsync();
        await server.DisposeAsync();

        Assert.True(result.Complete);
        Assert.Equal(2500, (await rig.Cache.GetTotalsAsync()).Entities);
        Assert.NotNull((await rig.Cache.GetPullStateAsync()).LastPulledAt);
        Assert.Equal("note 1234\n", await TextAsync(rig, "notes/1234.md"));
        var folder = await rig.Cache.ListAsync(new CacheListQuery("notes/", "/", null, 1000));
        Assert.Equal(1000, folder.Items.Count);
        Assert.Equal(2500, folder.Total);
        Assert.Equal("note 7\n", await TextAsync(rig, "notes/0007.md"));
        var failed = await Assert.ThrowsAsync<QueueException>(() => rig.Engine.PullAsync());
        Assert.Equal(QueueErrorKind.NotAvailableOffline, failed.Kind);
        Assert.Equal(ConnectivityState.Unreachable, rig.Engine.State.Connectivity);
        Assert.Equal("note 8\n", await TextAsync(rig, "notes/0008.md"));
    }

    [Fact]
    public async Task Edits_saved_while_the_server_is_down_coalesce_and_reach_it_once_at_the_next_version()
    {
        using var serverData = new TempDirectory("server");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await server.WriteEntityAsync(Ws, "notes/meeting.md", Doc(Base));
        await using var rig = await StartAsync(server.Url);
        await rig.Engine.PullAsync();

        await server.SetFaultsAsync(new { unavailable = true, retryAfterSeconds = 1 });
        var first = await SaveAsync(rig, "notes/meeting.md", Base + "edit 1\n");
        await Wait.UntilAsync(() => rig.Engine.State.Connectivity == ConnectivityState.Unreachable, "unreachable after the first try");
        await Wait.UntilAsync(async () => await rig.StatusAsync(first.Id) == OperationStatus.Pending, "the first save back to pending");
        var second = await SaveAsync(rig, "notes/meeting.md", Base + "edit 1\nedit 2\n");
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(CacheState.Pending, (await rig.Cache.StatAsync("notes/meeting.md"))!.State);
        await server.SetFaultsAsync(new { unavailable = false });
        await rig.WaitUntilDrainedAsync();

        var entity = await server.ReadEntityAsync(Ws, "notes/meeting.md");
        Assert.Equal(2, entity!.Version);
        Assert.Equal(Base + "edit 1\nedit 2\n", entity.Payload!.Value.GetProperty("content").GetString());
        Assert.Equal(1, (await server.GetStatsAsync()).Applied);
        var cached = await rig.Cache.GetAsync("notes/meeting.md");
        Assert.Equal((2L, CacheState.Synced), (cached!.Version, cached.State));
    }

    [Fact]
    public async Task A_server_edit_to_another_line_merges_and_the_server_holds_both_changes()
    {
        using var serverData = new TempDirectory("server");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await server.WriteEntityAsync(Ws, "notes/meeting.md", Doc(Base));
        await using var rig = await StartAsync(server.Url);
        await rig.Engine.PullAsync();
        rig.Engine.SetWorkOffline(true);

        var op = await SaveAsync(rig, "notes/meeting.md", Base.Replace("owner: ann", "owner: bob", StringComparison.Ordinal));
        await server.WriteEntityAsync(Ws, "notes/meeting.md", Doc(Base.Replace("next: friday", "next: monday", StringComparison.Ordinal)));
        rig.Engine.SetWorkOffline(false);
        await rig.WaitUntilDrainedAsync();

        var merged = Base.Replace("owner: ann", "owner: bob", StringComparison.Ordinal).Replace("next: friday", "next: monday", StringComparison.Ordinal);
        var entity = await server.ReadEntityAsync(Ws, "notes/meeting.md");
        Assert.Equal(3, entity!.Version);
        Assert.Equal(merged, entity.Payload!.Value.GetProperty("content").GetString());
        var details = await rig.DetailsAsync(op.Id);
        Assert.Equal(OperationStatus.Succeeded, details.Operation.Status);
        Assert.Contains(details.Attempts, a => a.Outcome == AttemptOutcomes.Merged);
        await rig.Engine.PullAsync();
        Assert.Equal(merged, await TextAsync(rig, "notes/meeting.md"));
    }

    [Fact]
    public async Task Edits_of_the_same_line_stay_a_conflict_that_merge_where_clean_leaves_and_keep_mine_resolves()
    {
        using var serverData = new TempDirectory("server");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await server.WriteEntityAsync(Ws, "notes/meeting.md", Doc(Base));
        await server.WriteEntityAsync(Ws, "notes/gone.md", Doc(Base));
        await using var rig = await StartAsync(server.Url);
        await rig.Engine.PullAsync();
        rig.Engine.SetWorkOffline(true);

        var mine = Base.Replace("owner: ann", "owner: bob", StringComparison.Ordinal);
        var sameLine = await SaveAsync(rig, "notes/meeting.md", mine);
        var editOfDeleted = await SaveAsync(rig, "notes/gone.md", mine);
        await server.WriteEntityAsync(Ws, "notes/meeting.md", Doc(Base.Replace("owner: ann", "owner: cid", StringComparison.Ordinal)));
        await server.DeleteEntityAsync(Ws, "notes/gone.md");
        rig.Engine.SetWorkOffline(false);
        await Wait.UntilAsync(async () => (await rig.Queue.GetCountsAsync()).Conflict == 2, "both edits in conflict");

        Assert.Equal(CacheState.Conflict, (await rig.Cache.StatAsync("notes/meeting.md"))!.State);
        var resolver = new ConflictBulkResolver(rig.Queue, rig.Engine, new ConflictMerger(rig.Cache));
        var clean = await resolver.ResolveAllAsync(BulkResolution.MergeClean);
        Assert.Equal((0, 2L), (clean.Resolved, clean.Remaining));

        var kept = await resolver.ResolveAllAsync(BulkResolution.KeepLocal);
        await rig.WaitUntilDrainedAsync();
        Assert.Equal((2, 0L), (kept.Resolved, kept.Remaining));
        Assert.Equal(mine, (await server.ReadEntityAsync(Ws, "notes/meeting.md"))!.Payload!.Value.GetProperty("content").GetString());
        Assert.Equal(OperationStatus.Succeeded, await rig.StatusAsync(sameLine.Id));
        Assert.Equal(OperationStatus.Succeeded, await rig.StatusAsync(editOfDeleted.Id));
        Assert.False((await server.ReadEntityAsync(Ws, "notes/gone.md"))!.Deleted);
    }

    [Fact]
    public async Task A_pull_refused_for_want_of_credentials_runs_by_itself_once_they_arrive()
    {
        using var serverData = new TempDirectory("server");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path, token: "secret");
        await server.WriteEntityAsync(Ws, "notes/meeting.md", Doc(Base));
        await using var rig = await StartAsync(server.Url);
        await Wait.UntilAsync(() => rig.Engine.State.Connectivity == ConnectivityState.AuthRequired, "the start pull refused without a token");
        Assert.Equal(0, (await rig.Cache.GetTotalsAsync()).Entities);

        // Nothing else asks for a pull: no flush, no reconnect, and the periodic one is an interval away.
        rig.Engine.SetCredentials("secret");
        await Wait.UntilAsync(async () => (await rig.Cache.GetTotalsAsync()).Entities == 1, "the document pulled with the new credentials", timeoutSeconds: 10);
        Assert.Equal(Base, await TextAsync(rig, "notes/meeting.md"));
        Assert.Equal(ConnectivityState.Online, rig.Engine.State.Connectivity);
    }

    private async Task<EngineRig> StartAsync(Uri server, bool workOffline = false) =>
        await EngineRig.StartAsync(server, o => o with { WorkOffline = workOffline }, log: output.WriteLine, withCache: true);

    /// <summary>A text document as another client writes it on the server.</summary>
    private static object Doc(string text) => new { content = text, encoding = DocumentPayload.Encoding };

    private static async Task<EnqueueResult> SaveAsync(EngineRig rig, string path, string text)
    {
        var version = (await rig.Cache.StatAsync(path))?.Version ?? 0;
        var result = await rig.Queue.EnqueueAsync(new EnqueueRequest
        {
            Type = DocumentTypes.Put,
            EntityId = path,
            PayloadJson = DocumentPayload.Create(text),
            DedupKey = path,
            ExpectedVersion = version,
        });
        rig.Engine.Wake();
        return result;
    }

    private static async Task<string?> TextAsync(EngineRig rig, string path) =>
        DocumentPayload.TryReadContent((await rig.Cache.GetAsync(path))?.PayloadJson);

    [Fact]
    public async Task A_cursor_the_server_no_longer_accepts_starts_a_full_refetch_that_drops_what_is_gone_and_keeps_the_queue()
    {
        using var serverData = new TempDirectory("server");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await server.WriteEntityAsync(Ws, "notes/a.md", Doc("a"));
        await server.WriteEntityAsync(Ws, "notes/b.md", Doc("b"));
        await using var rig = await StartAsync(server.Url);
        await rig.Engine.PullAsync();
        rig.Engine.SetWorkOffline(true);
        var local = await SaveAsync(rig, "notes/new.md", "created here");

        // While this client is away, b is deleted and the feed compacted past the delete: our cursor is too old.
        await server.DeleteEntityAsync(Ws, "notes/b.md");
        await server.WriteEntityAsync(Ws, "notes/c.md", Doc("c"));
        await server.CompactAsync(Ws);
        await server.ResetStatsAsync();
        rig.Engine.SetWorkOffline(false);
        await rig.WaitUntilDrainedAsync();
        var result = await rig.Engine.PullAsync();

        Assert.True(result.Complete);
        Assert.Null(await rig.Cache.GetAsync("notes/b.md"));
        Assert.Equal("c", await TextAsync(rig, "notes/c.md"));
        Assert.Equal("a", await TextAsync(rig, "notes/a.md"));
        Assert.Equal(OperationStatus.Succeeded, await rig.StatusAsync(local.Id));
        Assert.Equal("created here", await TextAsync(rig, "notes/new.md"));
        Assert.False((await rig.Cache.GetPullStateAsync()).Refetching);
    }

    [Fact]
    public async Task An_evicted_document_is_fetched_on_demand_online_and_is_a_clear_error_offline()
    {
        using var serverData = new TempDirectory("server");
        await using var server = await SyncServerProcess.StartAsync(serverData.Path);
        await server.SeedDocumentsAsync(Ws, 50, i => $"d/{i:D2}.md", i => new string('x', 1000) + i);
        await using var rig = await StartAsync(server.Url);
        await rig.Engine.PullAsync();
        await rig.Cache.EvictAsync(0);
        Assert.True((await rig.Cache.StatAsync("d/07.md"))!.Evicted);
        var reader = new DocumentReader(rig.Cache, rig.Engine.FetchDocumentAsync);

        var fetched = await reader.ReadAsync("d/07.md");

        Assert.Equal(new string('x', 1000) + 7, DocumentPayload.TryReadContent(fetched.PayloadJson));
        Assert.False((await rig.Cache.StatAsync("d/07.md"))!.Evicted);
        Assert.Equal(1, (await server.GetStatsAsync()).EntityRequests);
        rig.Engine.SetWorkOffline(true);
        var offline = await Assert.ThrowsAsync<QueueException>(() => reader.ReadAsync("d/08.md"));
        Assert.Equal(QueueErrorKind.NotAvailableOffline, offline.Kind);
        Assert.Contains("not available offline", offline.Message, StringComparison.Ordinal);
    }
}

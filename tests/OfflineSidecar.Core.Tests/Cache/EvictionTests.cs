using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Documents;

namespace OfflineSidecar.Core.Tests.Cache;

/// <summary>Over budget, the least recently read ~10 % go first; never unsynced, pinned or open documents.</summary>
public sealed class EvictionTests : CacheTestBase
{
    private static readonly string Body = new('x', 1000);

    private async Task FillAsync(int count)
    {
        var changes = Enumerable.Range(0, count).Select(i => Put($"d/{i:D3}", 1, Body)).ToArray();
        await PullAsync(changes);
    }

    [Fact]
    public async Task Over_budget_the_least_recently_read_are_evicted_first_and_kept_as_stubs()
    {
        await FillAsync(20);
        for (var i = 0; i < 20; i++)
        {
            if (i is not (3 or 7))
            {
                await Cache.GetAsync($"d/{i:D3}");
            }
        }

        var before = await Cache.GetTotalsAsync();
        var evicted = await Cache.EvictAsync(before.Bytes - 1);

        Assert.Equal(2, evicted);
        var stub = await Cache.StatAsync("d/003");
        Assert.True(stub!.Evicted);
        Assert.Equal(1, stub.Version);
        Assert.Equal(Body.Length, stub.Size);
        Assert.True((await Cache.StatAsync("d/007"))!.Evicted);
        Assert.False((await Cache.StatAsync("d/004"))!.Evicted);
        var page = await Cache.ListAsync(new CacheListQuery("d/", null, null, 100));
        Assert.Equal(20, page.Items.Count);
        Assert.Equal(20, (await Cache.GetTotalsAsync()).Entities);
        Assert.True((await Cache.GetTotalsAsync()).Bytes < before.Bytes);
        AssertTotalsMatchRows();
    }

    [Fact]
    public async Task Unsynced_pinned_and_open_documents_are_never_evicted_even_when_still_over_budget()
    {
        await FillAsync(10);
        await SaveAsync("d/000", Body + "mine", expectedVersion: 1);
        await Cache.PinAsync(["d/001"], pinned: true);
        await Cache.SetOpenAsync(["d/002"], open: true);

        await Cache.EvictAsync(0);

        Assert.False((await Cache.StatAsync("d/000"))!.Evicted);
        Assert.False((await Cache.StatAsync("d/001"))!.Evicted);
        Assert.False((await Cache.StatAsync("d/002"))!.Evicted);
        for (var i = 3; i < 10; i++)
        {
            Assert.True((await Cache.StatAsync($"d/{i:D3}"))!.Evicted);
        }

        Assert.Equal(Body + "mine", DocumentPayload.TryReadContent((await Cache.GetAsync("d/000"))!.PayloadJson));
        AssertTotalsMatchRows();
    }

    [Fact]
    public async Task A_document_closed_in_the_editor_or_unpinned_can_go()
    {
        await FillAsync(2);
        await Cache.PinAsync(["d/000"], pinned: true);
        await Cache.SetOpenAsync(["d/001"], open: true);
        await Cache.EvictAsync(0);
        Assert.False((await Cache.StatAsync("d/000"))!.Evicted);

        await Cache.PinAsync(["d/000"], pinned: false);
        await Cache.SetOpenAsync(["d/001"], open: false);
        await Cache.EvictAsync(0);

        Assert.True((await Cache.StatAsync("d/000"))!.Evicted);
        Assert.True((await Cache.StatAsync("d/001"))!.Evicted);
    }

    [Fact]
    public async Task A_stub_gets_its_content_back_from_a_fetch_or_a_newer_pull()
    {
        await FillAsync(2);
        await Cache.EvictAsync(0);
        Assert.Null((await Cache.GetAsync("d/000"))!.PayloadJson);

        Assert.True(await Cache.StoreFetchedAsync(Put("d/000", 1, "fetched")));
        await PullAsync(Put("d/001", 2, "newer"));

        Assert.Equal("fetched", DocumentPayload.TryReadContent((await Cache.GetAsync("d/000"))!.PayloadJson));
        Assert.Equal("newer", DocumentPayload.TryReadContent((await Cache.GetAsync("d/001"))!.PayloadJson));
        AssertTotalsMatchRows();
    }

    [Fact]
    public async Task Documents_held_open_by_a_sidecar_that_has_ended_are_forgotten()
    {
        await FillAsync(1);
        TestSupport.SqliteFile.Execute(DatabasePath, "INSERT INTO cache_open (workspace, entity_id, owner) VALUES ('ws', 'd/000', 'x:999999:gone');");
        TestSupport.SqliteFile.Execute(DatabasePath, $"INSERT INTO cache_open (workspace, entity_id, owner) VALUES ('ws', 'd/000', '{Environment.MachineName}:999999:gone');");

        var forgotten = await Store.ForgetEditorsOfEndedProcessesAsync();

        // Another machine's entry is not ours to judge; this machine's ended process is gone.
        Assert.Equal(1, forgotten);
    }
}

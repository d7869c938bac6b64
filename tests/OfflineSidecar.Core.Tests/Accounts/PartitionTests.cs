using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Tests.Cache;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Accounts;

/// <summary>Which partition credentials open, what an account learnt from the server changes, and erasing one.</summary>
public sealed class PartitionTests : StoreTestBase
{
    private const string Server = "http://127.0.0.1:1/";

    [Fact]
    public async Task The_same_credentials_open_the_same_partition_and_other_credentials_another()
    {
        var alice = await Store.Partitions.OpenAsync("notes", Server, "token-a");
        var again = await Store.Partitions.OpenAsync("notes", Server, "token-a");
        var bob = await Store.Partitions.OpenAsync("notes", Server, "token-b");
        var otherServer = await Store.Partitions.OpenAsync("notes", "http://127.0.0.1:2/", "token-a");
        var otherWorkspace = await Store.Partitions.OpenAsync("docs", Server, "token-a");

        Assert.Equal(alice, again);
        Assert.NotEqual(alice, bob);
        Assert.NotEqual(alice, otherServer);
        Assert.Equal("docs", otherWorkspace);
        // The first partition of a workspace keeps the workspace's name (rows written before partitions are its).
        Assert.Equal("notes", alice);
        Assert.StartsWith("notes~", bob, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_accounts_operations_are_not_in_anothers_queue()
    {
        var alice = Store.Workspace(await Store.Partitions.OpenAsync("notes", Server, "token-a"));
        var bob = Store.Workspace(await Store.Partitions.OpenAsync("notes", Server, "token-b"));
        await EnqueueAsync(alice, "doc", "{\"by\":\"alice\"}");

        Assert.Equal(1, (await alice.GetCountsAsync()).Pending);
        Assert.Equal(0, (await bob.GetCountsAsync()).Pending);
        Assert.Empty(await bob.ClaimEligibleAsync(10, Clock.GetUtcNow()));
    }

    [Fact]
    public async Task No_token_stores_apart_and_the_first_credentials_signed_in_take_that_work_over()
    {
        var signedOut = Store.Workspace(await Store.Partitions.OpenAsync("notes", Server, token: null));
        await EnqueueAsync(signedOut, "doc", "{\"offline\":true}");

        var alice = await Store.Partitions.OpenAsync("notes", Server, "token-a");
        var signedOutAgain = await Store.Partitions.OpenAsync("notes", Server, token: null);

        Assert.Equal(signedOut.WorkspaceId, alice);
        Assert.Equal(1, (await Store.Workspace(alice).GetCountsAsync()).Pending);
        Assert.NotEqual(alice, signedOutAgain);
        Assert.Equal(0, (await Store.Workspace(signedOutAgain).GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task Work_done_signed_out_goes_with_the_account_that_signs_in_again_after_its_own_earlier_work()
    {
        var alice = Store.Workspace(await Store.Partitions.OpenAsync("notes", Server, "token-a"));
        var before = await EnqueueAsync(alice, "doc", "{\"n\":1}");
        var signedOut = Store.Workspace(await Store.Partitions.OpenAsync("notes", Server, token: null));
        var during = await EnqueueAsync(signedOut, "doc", "{\"n\":2}");
        Assert.NotEqual(alice.WorkspaceId, signedOut.WorkspaceId);

        var back = await Store.Partitions.OpenAsync("notes", Server, "token-a");

        Assert.Equal(alice.WorkspaceId, back);
        Assert.Equal(2, (await alice.GetCountsAsync()).Pending);
        Assert.Equal(0, (await signedOut.GetCountsAsync()).Pending);
        Assert.Equal([before.Id], (await alice.ClaimEligibleAsync(10, Clock.GetUtcNow())).Select(o => o.Id));
        Assert.NotNull(during);
    }

    [Fact]
    public async Task A_token_learnt_to_be_an_accounts_names_its_partition_and_a_new_token_of_that_account_brings_its_work_there_in_order()
    {
        var first = await Store.Partitions.OpenAsync("notes", Server, "token-1");
        Assert.Equal(new Core.Accounts.AccountSwitch(first, 0), await Store.Partitions.IdentifyAsync("notes", Server, "token-1", "alice"));
        var older = Store.Workspace(first);
        var a1 = await EnqueueAsync(older, "doc", "{\"n\":1}");
        var x = await EnqueueAsync(older, "other", "{\"n\":1}");
        var claimed = await older.ClaimEligibleAsync(10, Clock.GetUtcNow());
        await older.ApplyOutcomesAsync([.. claimed.Select(o => o.Id == x.Id
            ? Outcome(o.Id, OperationStatus.Failed, Clock.GetUtcNow(), "rejected")
            : Outcome(o.Id, OperationStatus.Pending, Clock.GetUtcNow(), "retry") with { CountsAsAttempt = false })]);

        // A rotated token, used offline before the server could say whose it is: a provisional partition.
        var provisional = await Store.Partitions.OpenAsync("notes", Server, "token-2");
        Assert.NotEqual(first, provisional);
        var a2 = await EnqueueAsync(Store.Workspace(provisional), "doc", "{\"n\":2}");
        var y = await EnqueueAsync(Store.Workspace(provisional), "third", "{\"n\":1}");

        var switched = await Store.Partitions.IdentifyAsync("notes", Server, "token-2", "alice");

        Assert.Equal(new Core.Accounts.AccountSwitch(first, 2), switched);
        Assert.Equal(first, await Store.Partitions.OpenAsync("notes", Server, "token-2"));
        Assert.Null(await Store.Partitions.GetAsync(provisional));
        var counts = await older.GetCountsAsync();
        Assert.Equal((3, 1), (counts.Pending, counts.Failed));
        // doc: the older operation still leads; third had no earlier work; other is blocked by its failure as before.
        Assert.Equal([a1.Id, y.Id], (await older.ClaimEligibleAsync(10, Clock.GetUtcNow())).Select(o => o.Id));
        Assert.Equal(0, (await Store.Workspace(provisional).GetCountsAsync()).Pending);
        Assert.NotNull(a2);
    }

    [Fact]
    public async Task Credentials_that_now_act_for_another_account_open_that_accounts_partition_and_leave_the_old_one()
    {
        var name = await Store.Partitions.OpenAsync("notes", Server, "shared");
        await Store.Partitions.IdentifyAsync("notes", Server, "shared", "alice");
        await EnqueueAsync(Store.Workspace(name), "doc");

        var switched = await Store.Partitions.IdentifyAsync("notes", Server, "shared", "bob");

        Assert.NotEqual(name, switched.Partition);
        Assert.Equal(0, switched.MovedOperations);
        Assert.Equal("bob", (await Store.Partitions.GetAsync(switched.Partition))!.AccountId);
        Assert.Equal(1, (await Store.Workspace(name).GetCountsAsync()).Pending);
        Assert.Equal(switched.Partition, await Store.Partitions.OpenAsync("notes", Server, "shared"));
    }

    [Fact]
    public async Task Erasing_a_partition_removes_its_rows_and_its_bytes_from_the_file_and_keeps_the_others()
    {
        const string Marker = "ALICE-SECRET-7f3a9c";
        var alice = await Store.Partitions.OpenAsync("notes", Server, "token-a");
        var bob = await Store.Partitions.OpenAsync("notes", Server, "token-b");
        for (var i = 0; i < 200; i++)
        {
            await EnqueueAsync(Store.Workspace(alice), $"doc-{i}", $"{{\"text\":\"{Marker} {i} {new string('x', 500)}\"}}");
        }

        await EnqueueAsync(Store.Workspace(bob), "doc", "{\"text\":\"bob's\"}");
        Assert.True(FileHolds(Marker));

        var erased = await Store.Partitions.EraseAsync(alice);

        Assert.Equal(200, erased.Operations);
        Assert.True(erased.FileBytesAfter < erased.FileBytesBefore, $"{erased.FileBytesBefore} -> {erased.FileBytesAfter}");
        Assert.False(FileHolds(Marker), "the erased payloads are still somewhere in the database or its WAL");
        Assert.Null(await Store.Partitions.GetAsync(alice));
        Assert.Equal(0, (await Store.Workspace(alice).GetCountsAsync()).Pending);
        Assert.Equal(1, (await Store.Workspace(bob).GetCountsAsync()).Pending);
        // The same credentials later start afresh: nothing of what they held comes back.
        Assert.Equal(0, (await Store.Workspace(await Store.Partitions.OpenAsync("notes", Server, "token-a")).GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task Listing_says_whose_each_partition_is_and_what_it_holds()
    {
        var alice = await Store.Partitions.OpenAsync("notes", Server, "token-a");
        await Store.Partitions.IdentifyAsync("notes", Server, "token-a", "alice");
        await EnqueueAsync(Store.Workspace(alice), "doc");

        var all = await Store.Partitions.ListAsync();

        var row = Assert.Single(all);
        Assert.Equal((alice, "notes", Server, "alice"), (row.Partition.Name, row.Partition.WorkspaceId, row.Partition.Server, row.Partition.AccountId));
        Assert.Equal((1L, 1L), (row.UnfinishedOperations, row.Operations));
        Assert.Equal(alice, await Store.Partitions.FindAsync("notes"));
        Assert.Equal(alice, await Store.Partitions.FindAsync(alice));
        Assert.Equal("elsewhere", await Store.Partitions.FindAsync("elsewhere"));
    }

    [Fact]
    public async Task Work_stored_before_accounts_is_claimed_by_the_first_credentials_that_open_its_workspace()
    {
        var path = Directory.File("old.db");
        StoreConnections.EnsureNativeLibrary();
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            Assert.Equal(3, SchemaMigrations.Apply(connection, upTo: 3));
        }

        SqliteFile.Execute(path, """
            INSERT INTO operations (id, workspace, type, entity_id, idempotency_key, priority, status, is_head, attempts,
                                    created_at, updated_at, payload_bytes, payload)
            VALUES ('op-1', 'notes', 'document.put.v1', 'doc', 'op-1', 1, 0, 1, 0, 1000, 1000, 2, '{}');
            INSERT INTO pull_state (workspace, cursor, server) VALUES ('notes', '5', 'http://127.0.0.1:1/');
            """);

        var store = Open(new StoreOptions { DatabasePath = path });
        var legacy = Assert.Single(await store.Partitions.ListAsync());
        var opened = await store.Partitions.OpenAsync("notes", Server, "token-a");
        var someoneElse = await store.Partitions.OpenAsync("notes", Server, "token-b");

        Assert.Equal(("notes", null), (legacy.Partition.Name, legacy.Partition.AccountId));
        Assert.Equal("notes", opened);
        Assert.Equal(1, (await store.Workspace(opened).GetCountsAsync()).Pending);
        Assert.NotEqual("notes", someoneElse);
    }

    private bool FileHolds(string marker)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(marker);
        foreach (var file in new[] { DatabasePath, DatabasePath + "-wal" })
        {
            if (File.Exists(file))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var memory = new MemoryStream();
                stream.CopyTo(memory);
                if (memory.ToArray().AsSpan().IndexOf(needle) >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }
}

using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Sync.Conflicts;
using OfflineSidecar.Core.Tests.TestSupport;

namespace OfflineSidecar.Core.Tests.Storage;

public sealed class CountsTests : StoreTestBase
{
    [Fact]
    public async Task Counts_match_the_rows_through_every_transition()
    {
        var ops = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            ops.Add((await EnqueueAsync(i < 4 ? $"e{i}" : null)).Id);
        }

        await AssertCountsMatchRowsAsync(new QueueCounts(8, 0, 0, 0, 0));

        await ClaimIdsAsync(6);
        await AssertCountsMatchRowsAsync(new QueueCounts(2, 6, 0, 0, 0));

        await CompleteAsync(ops[0], OperationStatus.Succeeded);
        await CompleteAsync(ops[1], OperationStatus.Failed, "rejected");
        await Queue.ApplyOutcomesAsync([Outcome(ops[2], OperationStatus.Conflict, Clock.GetUtcNow(), "conflict") with
        {
            Conflict = new ConflictSnapshot(4, """{"server":true}""", Clock.GetUtcNow()),
        }]);
        await Queue.ApplyOutcomesAsync([Outcome(ops[3], OperationStatus.Pending, Clock.GetUtcNow(), "retry")]);
        await AssertCountsMatchRowsAsync(new QueueCounts(3, 2, 1, 1, 1));

        Assert.Equal(2, await Queue.RecoverInterruptedAsync());
        await AssertCountsMatchRowsAsync(new QueueCounts(5, 0, 1, 1, 1));

        Assert.Equal(1, await Queue.RetryAsync([ops[1]], allFailed: false));
        await Queue.ResolveConflictAsync(ops[2], ConflictResolution.KeepLocal, null);
        await AssertCountsMatchRowsAsync(new QueueCounts(7, 0, 0, 0, 1));

        Assert.Equal(2, await Queue.DiscardAsync([ops[4], ops[5], "missing"]));
        await AssertCountsMatchRowsAsync(new QueueCounts(5, 0, 0, 0, 1));

        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await Queue.PruneSucceededAsync(Clock.GetUtcNow()));
        await AssertCountsMatchRowsAsync(new QueueCounts(5, 0, 0, 0, 0));

        await ClaimIdsAsync(1);
        Assert.Equal(4, await Queue.ClearAsync(null));
        await AssertCountsMatchRowsAsync(new QueueCounts(0, 1, 0, 0, 0));
    }

    [Fact]
    public async Task Another_writer_on_the_file_is_counted_by_the_stored_triggers_and_ours_by_its_statements()
    {
        // Another writer: an older sidecar or the sqlite3 shell, which never turned the file's own triggers off.
        var failedByOther = (await EnqueueAsync("a")).Id;
        var deletedByOther = (await EnqueueAsync("b")).Id;
        var claimedByUs = (await EnqueueAsync("c")).Id;
        using (var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString()))
        {
            other.Open();
            using var command = other.CreateCommand();
            command.CommandText = """
                UPDATE operations SET status = 3 WHERE id = $failed;
                DELETE FROM operations WHERE id = $deleted;
                INSERT INTO operations (id, workspace, type, idempotency_key, priority, status, is_head, created_at, updated_at, payload_bytes, payload)
                VALUES ('inserted-by-other', 'ws', 'a.v1', 'inserted-by-other', 1, 0, 1, 0, 0, 2, '{}');
                """;
            command.Parameters.AddWithValue("$failed", failedByOther);
            command.Parameters.AddWithValue("$deleted", deletedByOther);
            command.ExecuteNonQuery();
        }

        await AssertCountsMatchRowsAsync(new QueueCounts(2, 0, 1, 0, 0));

        Assert.Equal([claimedByUs, "inserted-by-other"], await ClaimIdsAsync());
        await CompleteAsync(claimedByUs, OperationStatus.Succeeded);
        Assert.Equal(1, await Queue.RetryAsync(null, allFailed: true));
        await AssertCountsMatchRowsAsync(new QueueCounts(1, 1, 0, 0, 1));
    }

    [Fact]
    public async Task Counts_survive_a_reopen()
    {
        await EnqueueAsync();
        await EnqueueAsync();
        await ClaimIdsAsync(1);

        var reopened = await ReopenAsync();

        Assert.Equal(new QueueCounts(1, 1, 0, 0, 0), await reopened.GetCountsAsync());
    }

    [Fact]
    public async Task Changed_is_raised_after_commit_with_fresh_counts()
    {
        var seen = new List<QueueCounts>();
        Queue.Changed += (_, e) =>
        {
            lock (seen)
            {
                seen.Add(e.Counts);
            }
        };

        var op = await EnqueueAsync();
        await ClaimIdsAsync();
        await CompleteAsync(op.Id, OperationStatus.Succeeded);
        await Store.Workspace("other").EnqueueAsync(new EnqueueRequest { Type = "a.v1", PayloadJson = "1" });

        Assert.Equal(
            [new QueueCounts(1, 0, 0, 0, 0), new QueueCounts(0, 1, 0, 0, 0), new QueueCounts(0, 0, 0, 0, 1)],
            seen);
    }

    [Fact]
    public async Task A_throwing_subscriber_does_not_break_the_writer()
    {
        Queue.Changed += (_, _) => throw new InvalidOperationException("subscriber bug");

        await EnqueueAsync();
        await EnqueueAsync();

        Assert.Equal(2, (await Queue.GetCountsAsync()).Pending);
    }

    private async Task AssertCountsMatchRowsAsync(QueueCounts expected)
    {
        var rows = await ListAllAsync(new ListQuery(Limit: 500));
        long Of(OperationStatus status) => rows.Count(o => o.Status == status);
        var fromRows = new QueueCounts(
            Of(OperationStatus.Pending), Of(OperationStatus.Syncing), Of(OperationStatus.Failed), Of(OperationStatus.Conflict), Of(OperationStatus.Succeeded));

        Assert.Equal(expected, fromRows);
        Assert.Equal(expected, await Queue.GetCountsAsync());
    }
}

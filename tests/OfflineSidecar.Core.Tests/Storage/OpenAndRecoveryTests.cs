using Microsoft.Data.Sqlite;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Tests.TestSupport;
using OfflineSidecar.Testing;

namespace OfflineSidecar.Core.Tests.Storage;

public sealed class OpenAndRecoveryTests : IDisposable
{
    private readonly TempDirectory directory = new();
    private readonly SettableWallClock clock = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task New_database_is_owner_only_in_an_owner_only_directory()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Path.Combine(directory.Path, "nested", "queue.db");

        await using var store = SqliteOperationStore.Open(new StoreOptions { DatabasePath = path }, clock);
        await store.Workspace("ws").EnqueueAsync(new EnqueueRequest { Type = "a.v1", PayloadJson = "1" });

        Assert.True(store.OpenReport.Created);
        Assert.False(store.OpenReport.RecoveredFromCorruption);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path + "-wal"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task Existing_database_opens_with_its_rows_and_schema_version()
    {
        var path = directory.File("queue.db");
        string id;
        await using (var first = SqliteOperationStore.Open(new StoreOptions { DatabasePath = path }, clock))
        {
            id = (await first.Workspace("ws").EnqueueAsync(new EnqueueRequest { Type = "a.v1", PayloadJson = "1" })).Id;
        }

        await using var second = SqliteOperationStore.Open(new StoreOptions { DatabasePath = path }, clock);

        Assert.False(second.OpenReport.Created);
        Assert.Equal(SchemaMigrations.LatestVersion, second.OpenReport.SchemaVersion);
        Assert.NotNull(await second.Workspace("ws").GetAsync(id));
        Assert.Equal((long)SchemaMigrations.LatestVersion, SqliteFile.Scalar(path, "SELECT MAX(version) FROM schema_version;"));
    }

    [Fact]
    public async Task Garbage_file_is_moved_aside_and_replaced_by_a_fresh_database()
    {
        var path = directory.File("queue.db");
        var garbage = new byte[64 * 1024];
        new Random(42).NextBytes(garbage);
        await File.WriteAllBytesAsync(path, garbage);
        await File.WriteAllBytesAsync(path + "-wal", [1, 2, 3]);

        await using var store = SqliteOperationStore.Open(new StoreOptions { DatabasePath = path }, clock);

        var report = store.OpenReport;
        Assert.True(report.RecoveredFromCorruption);
        Assert.NotNull(report.MovedAsidePath);
        Assert.StartsWith(path + ".corrupt-20261122T100000000Z", report.MovedAsidePath, StringComparison.Ordinal);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(report.MovedAsidePath));
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(report.MovedAsidePath + "-wal"));
        Assert.NotNull(report.CorruptionReason);
        var queue = store.Workspace("ws");
        await queue.EnqueueAsync(new EnqueueRequest { Type = "a.v1", PayloadJson = "1" });
        Assert.Equal(1, (await queue.GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task Damaged_pages_inside_a_database_are_detected()
    {
        var path = directory.File("queue.db");
        await using (var store = SqliteOperationStore.Open(new StoreOptions { DatabasePath = path }, clock))
        {
            var queue = store.Workspace("ws");
            for (var i = 0; i < 300; i++)
            {
                await queue.EnqueueAsync(new EnqueueRequest { Type = "a.v1", PayloadJson = $$"""{"n":{{i}},"pad":"{{new string('x', 200)}}"}""" });
            }
        }

        // Keep the 100-byte header (so SQLite still sees a database) and scribble over the pages after page 1.
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = 4096;
            var noise = new byte[file.Length - 4096];
            new Random(7).NextBytes(noise);
            await file.WriteAsync(noise);
        }

        await using var reopened = SqliteOperationStore.Open(new StoreOptions { DatabasePath = path }, clock);

        Assert.True(reopened.OpenReport.RecoveredFromCorruption);
        Assert.True(File.Exists(reopened.OpenReport.MovedAsidePath));
        Assert.Equal(0, (await reopened.Workspace("ws").GetCountsAsync()).Pending);
    }

    [Fact]
    public async Task Empty_file_is_treated_as_a_new_database()
    {
        var path = directory.File("queue.db");
        await File.WriteAllBytesAsync(path, []);

        await using var store = SqliteOperationStore.Open(new StoreOptions { DatabasePath = path }, clock);

        Assert.False(store.OpenReport.RecoveredFromCorruption);
        Assert.Equal(SchemaMigrations.LatestVersion, store.OpenReport.SchemaVersion);
    }

    [Fact]
    public async Task A_version_1_database_is_brought_to_the_latest_version_with_its_rows_and_their_attempt_history()
    {
        var path = directory.File("queue.db");
        StoreConnections.EnsureNativeLibrary();
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            Assert.Equal(1, SchemaMigrations.Apply(connection, upTo: 1));
        }

        // What a version-1 sidecar leaves behind for an operation delivered on its second attempt.
        SqliteFile.Execute(path, """
            INSERT INTO operations (id, workspace, type, entity_id, idempotency_key, priority, status, is_head, attempts,
                                    server_version, created_at, updated_at, payload_bytes, payload)
            VALUES ('op-1', 'ws', 'document.put.v1', 'doc', 'op-1', 1, 2, 0, 2, 1, 1000, 5000, 2, '{}');
            INSERT INTO attempts (op_seq, attempt, started_at, finished_at, outcome, error_code, error_message)
            VALUES (1, 1, 1000, 2000, 'retry', 'unreachable', 'connection refused'), (1, 2, 4000, 5000, 'applied', NULL, NULL);
            """);

        await using var store = SqliteOperationStore.Open(new StoreOptions { DatabasePath = path }, clock);

        Assert.Equal(SchemaMigrations.LatestVersion, store.OpenReport.SchemaVersion);
        var details = (await store.Workspace("ws").GetAsync("op-1"))!;
        Assert.Equal(1, (await store.Workspace("ws").GetCountsAsync()).Succeeded);
        Assert.Equal(["retry", "applied"], details.Attempts.Select(a => a.Outcome));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(5000), details.Attempts[1].FinishedAt);
    }

    [Fact]
    public async Task Database_from_a_newer_schema_is_refused_untouched()
    {
        var path = directory.File("queue.db");
        await using (SqliteOperationStore.Open(new StoreOptions { DatabasePath = path }, clock))
        {
        }

        SqliteFile.Execute(path, "INSERT INTO schema_version (version) VALUES (99);");

        var refusal = Assert.Throws<QueueException>(() => SqliteOperationStore.Open(new StoreOptions { DatabasePath = path }, clock));
        Assert.Equal(QueueErrorKind.StorageFailure, refusal.Kind);
        Assert.Contains("99", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closed_store_refuses_further_calls()
    {
        var store = SqliteOperationStore.Open(new StoreOptions { DatabasePath = directory.File("queue.db") }, clock);
        var queue = store.Workspace("ws");
        await store.DisposeAsync();

        var write = await Assert.ThrowsAsync<QueueException>(() => queue.EnqueueAsync(new EnqueueRequest { Type = "a.v1", PayloadJson = "1" }));
        var read = await Assert.ThrowsAsync<QueueException>(() => queue.GetCountsAsync());

        Assert.Equal(QueueErrorKind.StorageFailure, write.Kind);
        Assert.Equal(QueueErrorKind.StorageFailure, read.Kind);
    }
}

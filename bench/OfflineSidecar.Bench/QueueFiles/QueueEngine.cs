namespace OfflineSidecar.Bench.QueueFiles;

/// <summary>The queue files compared; the name is what the child process is told on its command line.</summary>
internal static class QueueEngine
{
    public const string LiteDb = "litedb";
    public const string LiteDbShared = "litedb-shared";
    public const string Sqlite = "sqlite";
    public const string Store = "store";

    public static IQueueFile Open(string engine, string path) => engine switch
    {
        LiteDb => new LiteDbQueueFile(path, shared: false),
        LiteDbShared => new LiteDbQueueFile(path, shared: true),
        Sqlite => new SqliteQueueFile(path),
        Store => new StoreQueueFile(path),
        _ => throw new ArgumentException($"unknown queue engine '{engine}'", nameof(engine)),
    };

    public static string Describe(string engine) => engine switch
    {
        LiteDb => "LiteDB 5.0.21 (direct)",
        LiteDbShared => "LiteDB 5.0.21 (shared)",
        Sqlite => "Microsoft.Data.Sqlite (WAL, FULL, commit per insert)",
        Store => "sidecar store (SQLite WAL, FULL, group commit)",
        _ => engine,
    };
}

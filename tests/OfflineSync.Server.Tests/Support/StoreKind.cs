namespace OfflineSync.Server.Tests.Support;

/// <summary>Which store a protocol test runs the server on: every such test runs on both.</summary>
public enum StoreKind
{
    Sqlite = 0,
    Postgres = 1,
}

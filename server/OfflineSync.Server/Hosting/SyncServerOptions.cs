namespace OfflineSync.Server.Hosting;

internal sealed record SyncServerOptions
{
    public const int DefaultMaxBatchCommands = 500;
    public const long DefaultMaxBodyBytes = 16 * 1024 * 1024;

    /// <summary>Loopback port to bind; 0 lets the OS pick a free one.</summary>
    public int Port { get; init; }

    /// <summary>Directory of the SQLite store; used when <see cref="PostgresUrl"/> is not set.</summary>
    public string? DataDirectory { get; init; }

    /// <summary><c>postgres://</c> URL of a PostgreSQL store (--store); when set, <see cref="DataDirectory"/> is not used.</summary>
    public string? PostgresUrl { get; init; }

    /// <summary>When set, /sync requests (but health) require <c>Authorization: Bearer</c> this token, of the account "default".</summary>
    public string? Token { get; init; }

    /// <summary>Token → account id of further accounts (--account ID=TOKEN); any of them makes a token required.</summary>
    public IReadOnlyDictionary<string, string> Accounts { get; init; } = new Dictionary<string, string>();

    /// <summary>Seed of the fault-injection random source; null picks one at random.</summary>
    public int? Seed { get; init; }

    public int MaxBatchCommands { get; init; } = DefaultMaxBatchCommands;

    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    public const long DefaultMaxBlobBytes = 64 * 1024 * 1024;

    /// <summary>The largest attachment blob one PUT /sync/blobs/{sha256} may carry.</summary>
    public long MaxBlobBytes { get; init; } = DefaultMaxBlobBytes;

    public TimeSpan IdempotencyRetention { get; init; } = TimeSpan.FromDays(7);

    public TimeSpan PruneInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Warnings and errors to stderr; tests turn it off to keep their output readable.</summary>
    public bool ConsoleLogging { get; init; } = true;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

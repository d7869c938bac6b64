using OfflineSidecar.Core.Accounts;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Logging;
using OfflineSidecar.Host.Settings;

namespace OfflineSidecar.Host.Serve.Accounts;

/// <summary>
/// Keeps the session on the partition of the account signed in: credentials open theirs, the server's answer about an
/// account may move the session to that account's partition, and signing out leaves it. A switch starts the new
/// partition's engine before the old one stops, and is told to the notifier, which then re-reads everything.
/// One switch at a time; requests in between see the old scope or the new one, never a half.
/// </summary>
internal sealed class AccountScopes : IAsyncDisposable
{
    private readonly SemaphoreSlim switching = new(1, 1);
    private readonly SqliteOperationStore store;
    private readonly string workspaceId;
    private readonly Func<EffectiveSettings> settings;
    private readonly TimeProvider time;
    private readonly SyncEngineFactory engineFactory;
    private readonly SidecarLog? log;
    private PartitionScope current = null!;
    private string? token;
    private int started;
    private int disposed;

    private AccountScopes(SqliteOperationStore store, string workspaceId, Func<EffectiveSettings> settings, TimeProvider time, SyncEngineFactory engineFactory, SidecarLog? log)
    {
        this.store = store;
        this.workspaceId = workspaceId;
        this.settings = settings;
        this.time = time;
        this.engineFactory = engineFactory;
        this.log = log;
    }

    /// <summary>Raised after a switch, with the new scope's engine already running: (old, new). Both are the same scope
    /// when only its account became known.</summary>
    public event Action<PartitionScope, PartitionScope>? Switched;

    public PartitionScope Current => Volatile.Read(ref this.current);

    /// <param name="settings">The settings in force, read at every switch (the server is part of a partition's key).</param>
    public static async Task<AccountScopes> OpenAsync(
        SqliteOperationStore store, string workspaceId, Func<EffectiveSettings> settings, string? token, TimeProvider time, SyncEngineFactory engineFactory, SidecarLog? log)
    {
        var scopes = new AccountScopes(store, workspaceId, settings, time, engineFactory, log) { token = token };
        var first = await scopes.BuildAsync().ConfigureAwait(false);
        first.Engine.AccountIdentified += scopes.OnAccountIdentified;
        scopes.current = first;
        return scopes;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref this.started, 1);
        await Current.Engine.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>New credentials (sign-in, sign-out, a rotated token): they may open another partition.</summary>
    public Task SetCredentialsAsync(string? token) => SwitchAsync(async () =>
    {
        this.token = token;
        if (await OpenPartitionAsync().ConfigureAwait(false) == Current.Name)
        {
            Current.Engine.SetCredentials(token);
            return;
        }

        await ReplaceAsync(Current, await BuildAsync().ConfigureAwait(false), "new credentials").ConfigureAwait(false);
    });

    /// <summary>Another sync server (or none): its own partitions.</summary>
    /// <remarks>The engine serving now learns the new server only here, under the switch: told earlier, it could send
    /// its account's queue to a server it does not belong to before the switch away from it.</remarks>
    public Task ServerChangedAsync() => SwitchAsync(async () =>
    {
        if (await OpenPartitionAsync().ConfigureAwait(false) != Current.Name)
        {
            await ReplaceAsync(Current, await BuildAsync().ConfigureAwait(false), "another sync server").ConfigureAwait(false);
            return;
        }

        Current.Engine.UpdateOptions(OptionsFor(this.settings()));
    });

    /// <summary>
    /// Signs out: the session moves to the partition of no credentials; with <paramref name="erase"/> what the account
    /// signed out of kept here is deleted and vacuumed out of the file first.
    /// </summary>
    public async Task<PartitionErasure?> SignOutAsync(bool erase)
    {
        PartitionErasure? erased = null;
        await SwitchAsync(async () =>
        {
            var left = Current;
            this.token = null;
            var next = await OpenPartitionAsync().ConfigureAwait(false);
            if (next != left.Name)
            {
                // Away first, then erase: requests never reach a partition being deleted, or a stopped engine.
                await ReplaceAsync(left, await BuildAsync().ConfigureAwait(false), erase ? "signed out, its data erased" : "signed out").ConfigureAwait(false);
                if (erase)
                {
                    erased = await this.store.Partitions.EraseAsync(left.Name).ConfigureAwait(false);
                }

                return;
            }

            if (!erase)
            {
                left.Engine.SetCredentials(null);
                return;
            }

            // Signing out of the partition of no credentials itself: it is erased and opened afresh.
            await left.Engine.DisposeAsync().ConfigureAwait(false);
            erased = await this.store.Partitions.EraseAsync(left.Name).ConfigureAwait(false);
            await ReplaceAsync(left, await BuildAsync().ConfigureAwait(false), "signed out, its data erased").ConfigureAwait(false);
        }).ConfigureAwait(false);
        return erased;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await switching.WaitAsync().ConfigureAwait(false);
        try
        {
            Current.Engine.AccountIdentified -= OnAccountIdentified;
            await Current.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            switching.Release();
        }
    }

    /// <summary>An engine's options: the settings, and the workspace its partition belongs to, as the server knows it.</summary>
    public SyncOptions OptionsFor(EffectiveSettings settings) => settings.ToSyncOptions() with { ServerWorkspaceId = this.workspaceId };

    private string Server => this.settings().ServerUrl?.AbsoluteUri ?? "";

    private Task<string> OpenPartitionAsync() => this.store.Partitions.OpenAsync(this.workspaceId, Server, this.token);

    /// <summary>A scope (not started) on the partition the current credentials open.</summary>
    private async Task<PartitionScope> BuildAsync()
    {
        var name = await OpenPartitionAsync().ConfigureAwait(false);
        var partition = await this.store.Partitions.GetAsync(name).ConfigureAwait(false);
        var queue = this.store.Workspace(name);
        var cache = this.store.Cache(name);
        var engine = this.engineFactory(queue, cache, OptionsFor(this.settings()), this.time);
        if (this.token is not null)
        {
            engine.SetCredentials(this.token);
        }

        return new PartitionScope(name, partition?.AccountId, queue, cache, engine);
    }

    /// <summary>The engine raises this on its worker's thread; the switch it may cause stops that very engine, so it runs apart.</summary>
    private void OnAccountIdentified(object? sender, AccountIdentity identity) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await SwitchAsync(() => IdentifiedAsync(sender, identity)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Logged by SwitchAsync; the session stays where it was and the next answer tries again.
            }
        });

    private async Task IdentifiedAsync(object? sender, AccountIdentity identity)
    {
        var scope = Current;
        if (!ReferenceEquals(sender, scope.Engine) || identity.Token != this.token)
        {
            return; // About credentials or an engine no longer in use.
        }

        var result = await this.store.Partitions.IdentifyAsync(this.workspaceId, Server, identity.Token, identity.AccountId).ConfigureAwait(false);
        if (result.Partition == scope.Name)
        {
            scope.AccountId = identity.AccountId;
            this.log?.Debug($"signed in as {identity.AccountId} ({scope.Name})");
            Switched?.Invoke(scope, scope);
            return;
        }

        if (result.MovedOperations > 0)
        {
            this.log?.Info($"{result.MovedOperations} operations queued before the server named the account join {identity.AccountId}'s queue");
        }

        await ReplaceAsync(scope, await BuildAsync().ConfigureAwait(false), $"account {identity.AccountId}").ConfigureAwait(false);
    }

    private async Task ReplaceAsync(PartitionScope old, PartitionScope next, string why)
    {
        next.Engine.AccountIdentified += OnAccountIdentified;
        if (Volatile.Read(ref this.started) == 1)
        {
            await next.Engine.StartAsync().ConfigureAwait(false);
        }

        Volatile.Write(ref this.current, next);
        old.Engine.AccountIdentified -= OnAccountIdentified;
        this.log?.Info($"now serving partition {next.Name}{(next.AccountId is { } account ? $" of account {account}" : "")}: {why}");
        Switched?.Invoke(old, next);
        await old.DisposeAsync().ConfigureAwait(false);
    }

    private async Task SwitchAsync(Func<Task> work)
    {
        if (Volatile.Read(ref disposed) != 0)
        {
            return;
        }

        await switching.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref disposed) == 0)
            {
                await work().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            this.log?.Error($"could not switch accounts: {ex.Message}");
            throw;
        }
        finally
        {
            switching.Release();
        }
    }
}

using System.IO.Pipelines;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Host.Errors;
using OfflineSidecar.Host.Logging;
using OfflineSidecar.Host.Protocol;
using OfflineSidecar.Host.Protocol.Lifecycle;
using OfflineSidecar.Host.Protocol.Window;
using OfflineSidecar.Host.Serve.Handlers;
using OfflineSidecar.Host.Serve.Lifecycle;
using OfflineSidecar.Host.Serve.Notifications;
using OfflineSidecar.Host.Settings;
using OfflineSidecar.JsonRpc.Dispatch;
using OfflineSidecar.JsonRpc.Framing;
using OfflineSidecar.JsonRpc.Messages;
using OfflineSidecar.JsonRpc.Stdio;

namespace OfflineSidecar.Host.Serve;

/// <summary>
/// The sidecar over one connection: LSP lifecycle, the offlineSync handlers, and the notifications.
/// <see cref="RunAsync"/> returns the process exit code: 0 after shutdown + exit, 1 when the sidecar stops
/// any other way (exit without shutdown, stdin closed, client process gone).
/// </summary>
internal sealed class SidecarServer : ISessionSource, IAsyncDisposable
{
    private readonly JsonRpcConnection connection;
    private readonly LifecycleGate gate = new();
    private readonly ServeOptions options;
    private readonly TimeProvider time;
    private readonly SyncEngineFactory engineFactory;
    private readonly SidecarLog log;
    private readonly TaskCompletionSource<int> exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource clientGone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SidecarSession? session;
    private ClientNotifier? notifier;
    private ParentProcessWatcher? parentWatcher;
    private int shutdownReceived;

    public SidecarServer(PipeReader input, PipeWriter output, ServeOptions options, TimeProvider time, SyncEngineFactory engineFactory, SidecarLog log)
    {
        this.options = options;
        this.time = time;
        this.engineFactory = engineFactory;
        this.log = log;
        this.connection = new JsonRpcConnection(input, output, new JsonRpcConnectionOptions
        {
            Framing = new FrameReaderOptions { MaxFrameBytes = options.MaxFrameBytes },
            Gate = this.gate,
            ErrorMapper = SidecarErrorMapper.Map,
            Log = log.FromJsonRpc,
        });
        log.Attach(this.connection);

        this.connection.AddRequestHandler(LspMethods.Initialize, InitializeAsync);
        this.connection.AddNotificationHandler(LspMethods.Initialized, OnInitializedAsync);
        this.connection.AddRequestHandler(LspMethods.Shutdown, ShutdownAsync);
        this.connection.AddNotificationHandler(LspMethods.Exit, OnExitAsync);
        new QueueHandlers(this).Register(this.connection);
        new SyncHandlers(this).Register(this.connection);
        new CacheHandlers(this).Register(this.connection);
        new ConfigurationHandler(this, log).Register(this.connection);
    }

    public SidecarSession Session =>
        Volatile.Read(ref this.session) ?? throw new JsonRpcException(JsonRpcErrorCodes.ServerNotInitialized, "Server not initialized");

    private bool ShutdownReceived => Volatile.Read(ref shutdownReceived) != 0;

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        // Over stdin the reads block (StdioPipes); in tests, over in-memory pipes, the thread of its own costs nothing.
        Task reading = StdioPipes.RunReadLoopAsync(() => this.connection.RunAsync(cancellationToken));
        // A blocking stdin read may ignore cancellation, so a signal stops the sidecar by itself.
        Task signalled = Task.Delay(Timeout.Infinite, cancellationToken);
        Task stopped = await Task.WhenAny(reading, this.exit.Task, clientGone.Task, signalled);
        int code = this.exit.Task.IsCompletedSuccessfully ? this.exit.Task.Result : ShutdownReceived ? 0 : 1;
        if (stopped == reading && reading.Exception is { } failure)
        {
            code = 1;
            this.log.Error($"reading the client's messages failed: stopping ({failure.GetBaseException()})");
        }
        else if (stopped == reading && !this.exit.Task.IsCompleted)
        {
            this.log.Info("stdin closed: stopping");
        }
        else if (stopped == clientGone.Task)
        {
            this.log.Warning("client process exited: stopping");
        }
        else if (stopped == signalled)
        {
            this.log.Info("terminated by signal: stopping");
        }

        // Acknowledge what was already accepted before letting go of the store.
        await this.connection.DrainAsync(this.options.DrainTimeout);
        await CloseSessionAsync();
        return code;
    }

    private async Task<InitializeResult> InitializeAsync(InitializeParams p, CancellationToken cancellationToken)
    {
        if (!this.gate.TryBeginInitialize())
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidRequest, "Invalid request: initialize may be sent only once");
        }

        bool succeeded = false;
        try
        {
            InitializationOptions? init = p.InitializationOptions;
            string dataDir = this.options.DataDir ?? init?.DataDir
                ?? throw JsonRpcException.InvalidParams("initializationOptions.dataDir", "required");
            string workspaceId = this.options.WorkspaceId ?? init?.WorkspaceId
                ?? throw JsonRpcException.InvalidParams("initializationOptions.workspaceId", "required");
            EffectiveSettings settings = EffectiveSettings.Defaults.With(init?.Settings, "initializationOptions.settings") with
            {
                ServerUrl = ServerUrlParser.Parse(init?.ServerUrl, "initializationOptions.serverUrl"),
            };
            string? token = string.IsNullOrEmpty(init?.Token) ? null : init.Token;

            SidecarSession session = await SidecarSession.OpenAsync(Path.GetFullPath(dataDir), workspaceId, settings, token, this.time, this.engineFactory, this.log);
            Volatile.Write(ref this.session, session);
            _ = ForgetEndedEditorsAsync(session);
            _ = CollectOrphanBlobsAsync(session);
            ReportRecovery(session.Store.OpenReport);
            if (p.ProcessId is { } processId)
            {
                WatchClientProcess(processId);
            }

            succeeded = true;
            this.log.Debug($"initialized: {session.Store.OpenReport.DatabasePath}, workspace {workspaceId} (partition {session.Scope.Name})");
            return new InitializeResult(
                new ServerCapabilities(new ExperimentalCapabilities(new OfflineSyncCapability(OfflineSyncCapability.CurrentVersion))),
                new ServerInfo("offline-sidecar", SidecarVersion.Current));
        }
        finally
        {
            this.gate.EndInitialize(succeeded);
        }
    }

    private async Task OnInitializedAsync(EmptyParams p, CancellationToken cancellationToken)
    {
        SidecarSession session = Session;
        var notifier = new ClientNotifier(this.connection, session, this.log, this.time);
        Volatile.Write(ref this.notifier, notifier);
        await session.StartAsync(cancellationToken);
        notifier.SignalAll();
        if (DamagedStoreMessage(session.Store.OpenReport) is { } damaged)
        {
            // The log alone is read by nobody: the user learns where their unsynced work went.
            await this.connection.NotifyAsync(LspMethods.ShowMessage, new ShowMessageParams(LogMessageType.Warning, damaged), cancellationToken);
        }
    }

    private async Task<NullResult> ShutdownAsync(EmptyParams p, CancellationToken cancellationToken)
    {
        // Synchronous part first: from here on the gate refuses requests.
        this.gate.BeginShutdown();
        Volatile.Write(ref shutdownReceived, 1);
        await CloseSessionAsync();
        return NullResult.Value;
    }

    private Task OnExitAsync(EmptyParams p, CancellationToken cancellationToken)
    {
        this.exit.TrySetResult(ShutdownReceived ? 0 : 1);
        return Task.CompletedTask;
    }

    private void WatchClientProcess(int processId)
    {
        if (!ParentProcessWatcher.IsAlive(processId))
        {
            this.log.Warning($"client process {processId} is not running; not watching it");
            return;
        }

        parentWatcher = new ParentProcessWatcher(processId, this.options.ParentPollInterval, this.time, () => clientGone.TrySetResult());
    }

    /// <summary>Documents held open by windows that crashed would otherwise never be evicted.</summary>
    private async Task ForgetEndedEditorsAsync(SidecarSession session)
    {
        try
        {
            int forgotten = await session.Store.ForgetEditorsOfEndedProcessesAsync();
            if (forgotten > 0)
            {
                this.log.Debug($"forgot {forgotten} documents held open by sidecars that have ended");
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            this.log.Warning($"could not forget the open documents of ended sidecars: {ex.Message}");
        }
    }

    /// <summary>Attachment files a crash left without an operation (or a staging copy without its enqueue).</summary>
    private async Task CollectOrphanBlobsAsync(SidecarSession session)
    {
        try
        {
            int deleted = await session.Store.CollectOrphanBlobsAsync();
            if (deleted > 0)
            {
                this.log.Debug($"deleted {deleted} attachment files no operation needs");
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            this.log.Warning($"could not collect orphaned attachment files: {ex.Message}");
        }
    }

    private void ReportRecovery(StoreOpenReport report)
    {
        if (DamagedStoreMessage(report) is { } damaged)
        {
            this.log.Warning(damaged);
        }
    }

    private static string? DamagedStoreMessage(StoreOpenReport report)
    {
        if (!report.RecoveredFromCorruption)
        {
            return null;
        }

        var replaced = $"The offline queue database was damaged ({report.CorruptionReason}) and was replaced by a new one; "
            + $"the damaged file was kept at {report.MovedAsidePath}. ";
        return report switch
        {
            { Salvage: { } salvage } => replaced + $"From it, {salvage.Describe()}; they keep their idempotency keys, so work the server "
                + "already had is not applied twice. The offline documents are fetched again from the server.",
            { SalvageProblem: { } problem } => replaced + $"Its unsynced operations could not be read back ({problem}): "
                + $"`offline-sidecar salvage {report.MovedAsidePath}` tries again.",
            _ => replaced,
        };
    }

    private async Task CloseSessionAsync()
    {
        parentWatcher?.Dispose();
        if (Interlocked.Exchange(ref this.notifier, null) is { } notifier)
        {
            await notifier.DisposeAsync();
        }

        if (Interlocked.Exchange(ref this.session, null) is { } session)
        {
            await session.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseSessionAsync();
        await this.connection.DisposeAsync();
    }
}

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

namespace OfflineSidecar.Host.Serve;

/// <summary>
/// The sidecar over one connection: LSP lifecycle, the offlineSync handlers, and the notifications.
/// <see cref="RunAsync"/> returns the process exit code: 0 after shutdown + exit, 1 when the sidecar stops
/// any other way (exit without shutdown, stdin closed, client process gone).
/// </summary>
internal sealed class SidecarServer : ISessionSource, IAsyncDisposable
{
    private readonly JsonRpcConnection _connection;
    private readonly LifecycleGate _gate = new();
    private readonly ServeOptions _options;
    private readonly TimeProvider _time;
    private readonly SyncEngineFactory _engineFactory;
    private readonly SidecarLog _log;
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _clientGone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SidecarSession? _session;
    private ClientNotifier? _notifier;
    private ParentProcessWatcher? _parentWatcher;
    private int _shutdownReceived;

    public SidecarServer(PipeReader input, PipeWriter output, ServeOptions options, TimeProvider time, SyncEngineFactory engineFactory, SidecarLog log)
    {
        _options = options;
        _time = time;
        _engineFactory = engineFactory;
        _log = log;
        _connection = new JsonRpcConnection(input, output, new JsonRpcConnectionOptions
        {
            Framing = new FrameReaderOptions { MaxFrameBytes = options.MaxFrameBytes },
            Gate = _gate,
            ErrorMapper = SidecarErrorMapper.Map,
            Log = log.FromJsonRpc,
        });
        log.Attach(_connection);

        _connection.AddRequestHandler(LspMethods.Initialize, InitializeAsync);
        _connection.AddNotificationHandler(LspMethods.Initialized, OnInitializedAsync);
        _connection.AddRequestHandler(LspMethods.Shutdown, ShutdownAsync);
        _connection.AddNotificationHandler(LspMethods.Exit, OnExitAsync);
        new QueueHandlers(this).Register(_connection);
        new SyncHandlers(this).Register(_connection);
        new CacheHandlers(this).Register(_connection);
        new ConfigurationHandler(this, log).Register(_connection);
    }

    public SidecarSession Session =>
        Volatile.Read(ref _session) ?? throw new JsonRpcException(JsonRpcErrorCodes.ServerNotInitialized, "Server not initialized");

    private bool ShutdownReceived => Volatile.Read(ref _shutdownReceived) != 0;

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        // The read loop gets a thread of its own: over stdin its reads block (BlockingReadStream), and then every
        // frame is read and dispatched on that thread without thread-pool hops.
        Task reading = Task.Factory.StartNew(
            () => _connection.RunAsync(cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        // A blocking stdin read may ignore cancellation, so a signal stops the sidecar by itself.
        Task signalled = Task.Delay(Timeout.Infinite, cancellationToken);
        Task stopped = await Task.WhenAny(reading, _exit.Task, _clientGone.Task, signalled);
        int code = _exit.Task.IsCompletedSuccessfully ? _exit.Task.Result : ShutdownReceived ? 0 : 1;
        if (stopped == reading && reading.Exception is { } failure)
        {
            code = 1;
            _log.Error($"reading the client's messages failed: stopping ({failure.GetBaseException()})");
        }
        else if (stopped == reading && !_exit.Task.IsCompleted)
        {
            _log.Info("stdin closed: stopping");
        }
        else if (stopped == _clientGone.Task)
        {
            _log.Warning("client process exited: stopping");
        }
        else if (stopped == signalled)
        {
            _log.Info("terminated by signal: stopping");
        }

        // Acknowledge what was already accepted before letting go of the store.
        await _connection.DrainAsync(_options.DrainTimeout);
        await CloseSessionAsync();
        return code;
    }

    private async Task<InitializeResult> InitializeAsync(InitializeParams p, CancellationToken cancellationToken)
    {
        if (!_gate.TryBeginInitialize())
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidRequest, "Invalid request: initialize may be sent only once");
        }

        bool succeeded = false;
        try
        {
            InitializationOptions? init = p.InitializationOptions;
            string dataDir = _options.DataDir ?? init?.DataDir
                ?? throw JsonRpcException.InvalidParams("initializationOptions.dataDir", "required");
            string workspaceId = _options.WorkspaceId ?? init?.WorkspaceId
                ?? throw JsonRpcException.InvalidParams("initializationOptions.workspaceId", "required");
            EffectiveSettings settings = EffectiveSettings.Defaults.With(init?.Settings, "initializationOptions.settings") with
            {
                ServerUrl = ServerUrlParser.Parse(init?.ServerUrl, "initializationOptions.serverUrl"),
            };
            string? token = string.IsNullOrEmpty(init?.Token) ? null : init.Token;

            SidecarSession session = await SidecarSession.OpenAsync(Path.GetFullPath(dataDir), workspaceId, settings, token, _time, _engineFactory, _log);
            Volatile.Write(ref _session, session);
            _ = ForgetEndedEditorsAsync(session);
            _ = CollectOrphanBlobsAsync(session);
            ReportRecovery(session.Store.OpenReport);
            if (p.ProcessId is { } processId)
            {
                WatchClientProcess(processId);
            }

            succeeded = true;
            _log.Debug($"initialized: {session.Store.OpenReport.DatabasePath}, workspace {workspaceId} (partition {session.Scope.Name})");
            return new InitializeResult(
                new ServerCapabilities(new ExperimentalCapabilities(new OfflineSyncCapability(OfflineSyncCapability.CurrentVersion))),
                new ServerInfo("offline-sidecar", SidecarVersion.Current));
        }
        finally
        {
            _gate.EndInitialize(succeeded);
        }
    }

    private async Task OnInitializedAsync(EmptyParams p, CancellationToken cancellationToken)
    {
        SidecarSession session = Session;
        var notifier = new ClientNotifier(_connection, session, _log, _time);
        Volatile.Write(ref _notifier, notifier);
        await session.StartAsync(cancellationToken);
        notifier.SignalAll();
        if (DamagedStoreMessage(session.Store.OpenReport) is { } damaged)
        {
            // The log alone is read by nobody: the user learns where their unsynced work went.
            await _connection.NotifyAsync(LspMethods.ShowMessage, new ShowMessageParams(LogMessageType.Warning, damaged), cancellationToken);
        }
    }

    private async Task<NullResult> ShutdownAsync(EmptyParams p, CancellationToken cancellationToken)
    {
        // Synchronous part first: from here on the gate refuses requests.
        _gate.BeginShutdown();
        Volatile.Write(ref _shutdownReceived, 1);
        await CloseSessionAsync();
        return NullResult.Value;
    }

    private Task OnExitAsync(EmptyParams p, CancellationToken cancellationToken)
    {
        _exit.TrySetResult(ShutdownReceived ? 0 : 1);
        return Task.CompletedTask;
    }

    private void WatchClientProcess(int processId)
    {
        if (!ParentProcessWatcher.IsAlive(processId))
        {
            _log.Warning($"client process {processId} is not running; not watching it");
            return;
        }

        _parentWatcher = new ParentProcessWatcher(processId, _options.ParentPollInterval, _time, () => _clientGone.TrySetResult());
    }

    /// <summary>Documents held open by windows that crashed would otherwise never be evicted.</summary>
    private async Task ForgetEndedEditorsAsync(SidecarSession session)
    {
        try
        {
            int forgotten = await session.Store.ForgetEditorsOfEndedProcessesAsync();
            if (forgotten > 0)
            {
                _log.Debug($"forgot {forgotten} documents held open by sidecars that have ended");
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _log.Warning($"could not forget the open documents of ended sidecars: {ex.Message}");
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
                _log.Debug($"deleted {deleted} attachment files no operation needs");
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _log.Warning($"could not collect orphaned attachment files: {ex.Message}");
        }
    }

    private void ReportRecovery(StoreOpenReport report)
    {
        if (DamagedStoreMessage(report) is { } damaged)
        {
            _log.Warning(damaged);
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
        _parentWatcher?.Dispose();
        if (Interlocked.Exchange(ref _notifier, null) is { } notifier)
        {
            await notifier.DisposeAsync();
        }

        if (Interlocked.Exchange(ref _session, null) is { } session)
        {
            await session.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseSessionAsync();
        await _connection.DisposeAsync();
    }
}

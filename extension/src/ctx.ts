/**
 * Owns the language client talking to the sidecar and its lifecycle (like rust-analyzer's ctx.ts):
 * bootstrap → start (the token in initializationOptions, on every restart too) → stop, making sure no sidecar outlives the window.
 * Everything the UI shows comes from the events re-published here; there is no queue logic in TypeScript.
 */
import * as vscode from 'vscode';
import {
    Executable,
    LanguageClient,
    LanguageClientOptions,
    RevealOutputChannelOn,
    State,
    StaticFeature,
    TransportKind,
} from 'vscode-languageclient/node';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { BootstrapError, findSidecar, SidecarBinary } from './bootstrap';
import { CommandIds } from './commandIds';
import { ConfigSection, sidecarConfiguration, sidecarPathSetting } from './config';
import type { Credentials } from './credentials';
import {
    CacheChangedNotification,
    CacheChangedParams,
    InitializationOptions,
    QueueChangedNotification,
    QueueCounts,
    SetCredentialsRequest,
    SignOutRequest,
    SignOutResult,
    SidecarDidChangeConfigurationNotification,
    StatusChangedNotification,
    SyncEvent,
    SyncEventNotification,
    SyncStatus,
} from './protocol';
import type { SidecarState } from './viewModel/statusBarModel';

/** How long stop() waits for shutdown/exit before the process is killed. */
const StopTimeoutMs = 2000;
/** How long a SIGTERMed sidecar gets before SIGKILL. */
const KillGraceMs = 1000;
/** stderr lines kept to explain a crash. */
const StderrTailLines = 40;

export interface CtxOptions {
    extensionContext: vscode.ExtensionContext;
    log: vscode.LogOutputChannel;
    credentials: Credentials;
    /** The workspace id at activation. */
    workspaceId: string;
    /** Computes the id again once `offlineSync.workspaceId` changed. */
    deriveWorkspaceId: () => Promise<string>;
    /** Makes the extra features of each new client, e.g. the flush progress. */
    features: ((client: LanguageClient) => StaticFeature)[];
}

export class SidecarNotRunningError extends Error {
    constructor(detail?: string) {
        super(detail ? `The Offline Sync sidecar is not running: ${detail}` : 'The Offline Sync sidecar is not running.');
        this.name = 'SidecarNotRunningError';
    }
}

export class Ctx implements vscode.Disposable {
    private languageClient: LanguageClient | undefined;
    private starting: Promise<void> | undefined;
    private state: SidecarState = 'starting';
    private problem: string | undefined;
    private latestStatus: SyncStatus | undefined;
    /** performance.now() when latestStatus arrived: its durations age on the monotonic clock, not the wall clock. */
    private latestStatusAt = 0;
    /** The token the sidecar starts with (initializationOptions), so its first request is already signed. */
    private token: string | undefined;
    private binary: SidecarBinary | undefined;
    private currentWorkspaceId: string;
    /** Set by dispose(): a start still in flight must not leave a sidecar behind. */
    private disposed = false;
    /** The sidecar's latest stderr lines: its logs also arrive as window/logMessage, so they are shown only on a crash. */
    private readonly stderrTail: string[] = [];
    private readonly disposables: vscode.Disposable[] = [];

    private readonly statusEmitter = new vscode.EventEmitter<SyncStatus>();
    private readonly queueEmitter = new vscode.EventEmitter<QueueCounts>();
    private readonly syncEventEmitter = new vscode.EventEmitter<SyncEvent>();
    private readonly stateEmitter = new vscode.EventEmitter<SidecarState>();
    private readonly cacheEmitter = new vscode.EventEmitter<CacheChangedParams>();

    /** `offlineSync/statusChanged`, as sent by the sidecar. */
    readonly onDidChangeStatus = this.statusEmitter.event;
    /** `offlineSync/queueChanged`. */
    readonly onDidChangeQueue = this.queueEmitter.event;
    /** `offlineSync/syncEvent`. */
    readonly onSyncEvent = this.syncEventEmitter.event;
    /** `offlineSync/cacheChanged`. */
    readonly onDidChangeCache = this.cacheEmitter.event;
    readonly onDidChangeSidecarState = this.stateEmitter.event;

    constructor(private readonly options: CtxOptions) {
        this.currentWorkspaceId = options.workspaceId;
        this.disposables.push(this.statusEmitter, this.queueEmitter, this.syncEventEmitter, this.stateEmitter, this.cacheEmitter);
        this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => {
            // A different binary, or another workspace id (fixed for a sidecar's life by initialize), needs a new process.
            const binary = e.affectsConfiguration(`${ConfigSection}.sidecar.path`);
            const workspace = e.affectsConfiguration(`${ConfigSection}.workspaceId`);
            if (binary || workspace) {
                void this.restartFor({ binary, workspace });
            } else if (e.affectsConfiguration(ConfigSection)) {
                void this.pushConfiguration();
            }
        }));
    }

    get log(): vscode.LogOutputChannel {
        return this.options.log;
    }

    /** The id the running (or next) sidecar serves: the authority of this window's `offline-sync:` URIs. */
    get workspaceId(): string {
        return this.currentWorkspaceId;
    }

    get sidecarState(): SidecarState {
        return this.state;
    }

    /** Why the sidecar is not running, for the status bar tooltip. */
    get sidecarProblem(): string | undefined {
        return this.problem;
    }

    get status(): SyncStatus | undefined {
        return this.latestStatus;
    }

    /** How long ago the status arrived, on the monotonic clock. */
    get statusAgeMs(): number {
        return performance.now() - this.latestStatusAt;
    }

    get sidecarBinary(): SidecarBinary | undefined {
        return this.binary;
    }

    /** Starts the sidecar; failures are reported once and leave the extension usable (no crash loop). */
    start(): Promise<void> {
        if (this.disposed) {
            return Promise.resolve();
        }
        this.starting ??= this.doStart().finally(() => {
            this.starting = undefined;
        });
        return this.starting;
    }

    /** The running client; waits for a start in progress. */
    async client(): Promise<LanguageClient> {
        if (this.starting) {
            await this.starting;
        }
        const client = this.languageClient;
        if (!client || !client.isRunning()) {
            throw new SidecarNotRunningError(this.problem);
        }
        return client;
    }

    async restart(): Promise<void> {
        await this.stop();
        await this.start();
    }

    private async restartFor(changed: { binary: boolean; workspace: boolean }): Promise<void> {
        if (changed.workspace) {
            const id = await this.options.deriveWorkspaceId();
            if (id === this.currentWorkspaceId && !changed.binary) {
                return;
            }
            if (id !== this.currentWorkspaceId) {
                this.log.info(`Workspace id ${this.currentWorkspaceId} → ${id}; restarting the sidecar.`);
                this.currentWorkspaceId = id;
            }
        }
        await this.restart();
    }

    /** shutdown → exit through the client; a sidecar still alive afterwards is killed. */
    async stop(): Promise<void> {
        const client = this.languageClient;
        this.languageClient = undefined;
        if (!client) {
            return;
        }
        // The client forgets its process during shutdown: keep a handle to check on it afterwards.
        const sidecarProcess = client.serverProcess;
        try {
            await client.dispose(StopTimeoutMs);
        } catch (error) {
            this.log.warn(`Stopping the sidecar: ${(error as Error).message}`);
        }
        await killIfLingering(sidecarProcess, this.log);
        this.setState('stopped');
    }

    async sendCredentials(token: string | null): Promise<void> {
        this.token = token ?? undefined;
        const client = await this.client();
        await client.sendRequest(SetCredentialsRequest.type, { token });
    }

    /** Forgets the token here and in the sidecar, which then serves the partition of no credentials. */
    async signOut(clearData: boolean): Promise<SignOutResult> {
        this.token = undefined;
        const client = await this.client();
        return client.sendRequest(SignOutRequest.type, { clearData });
    }

    dispose(): Promise<void> {
        this.disposed = true;
        const stopped = this.stop();
        for (const d of this.disposables.splice(0)) {
            d.dispose();
        }
        return stopped;
    }

    private async doStart(): Promise<void> {
        this.setState('starting');
        this.problem = undefined;
        const get = this.configGetter();
        try {
            this.binary = await findSidecar({
                env: process.env,
                settingPath: sidecarPathSetting(get),
                extensionPath: this.options.extensionContext.extensionPath,
                platform: process.platform,
                arch: process.arch,
            });
        } catch (error) {
            const message = error instanceof BootstrapError ? error.message : `Could not check the Offline Sync sidecar: ${String(error)}`;
            this.problem = message;
            this.log.error(message);
            this.setState('missing');
            void vscode.window.showErrorMessage(message, 'Open Log').then((choice) => {
                if (choice === 'Open Log') {
                    void vscode.commands.executeCommand(CommandIds.showLog);
                }
            });
            return;
        }
        if (this.disposed) {
            return;
        }
        this.log.info(`Starting sidecar ${this.binary.path} (${this.binary.version}, from ${this.binary.source})`);

        this.token = await this.readToken();
        const client = this.createClient(this.binary);
        this.languageClient = client;
        try {
            await client.start();
        } catch (error) {
            // The client already told the user (with a "Go to output" action); one notification is enough.
            this.problem = `it failed to start: ${(error as Error).message}`;
            this.log.error(`Sidecar failed to start: ${(error as Error).message}`);
            this.setState('stopped');
        }
    }

    private createClient(binary: SidecarBinary): LanguageClient {
        // `--stdio` is appended by the client for TransportKind.stdio: the sidecar runs `serve --stdio`.
        const serverOptions: Executable = { command: binary.path, args: ['serve'], transport: TransportKind.stdio };
        const clientOptions: LanguageClientOptions = {
            outputChannel: this.options.log,
            revealOutputChannelOn: RevealOutputChannelOn.Never,
            // A function so that every restart sends the current settings.
            initializationOptions: (): InitializationOptions => this.initializationOptions(),
            connectionOptions: { maxRestartCount: 4 },
            stdioOptions: {
                stdout: (input, log) => forEachLine(input, (line) => log.info(line)),
                stderr: (input, log) => forEachLine(input, (line) => {
                    log.debug(`[stderr] ${line}`);
                    this.stderrTail.push(line);
                    if (this.stderrTail.length > StderrTailLines) {
                        this.stderrTail.shift();
                    }
                }),
            },
        };
        // The id 'offlineSync' makes the client honour `offlineSync.trace.server`.
        const client = new LanguageClient(ConfigSection, 'Offline Sync', serverOptions, clientOptions);
        for (const makeFeature of this.options.features) {
            client.registerFeature(makeFeature(client));
        }
        client.onNotification(StatusChangedNotification.type, (status) => {
            this.latestStatus = status;
            this.latestStatusAt = performance.now();
            this.statusEmitter.fire(status);
        });
        client.onNotification(QueueChangedNotification.type, (params) => this.queueEmitter.fire(params.counts));
        client.onNotification(SyncEventNotification.type, (event) => this.syncEventEmitter.fire(event));
        client.onNotification(CacheChangedNotification.type, (params) => this.cacheEmitter.fire(params));
        client.onDidChangeState((change) => {
            if (this.languageClient !== client) {
                return; // stop() detached this client: its state changes are ours, not a crash.
            }
            if (change.newState === State.Running) {
                // After a crash the client restarts the process by itself, with initializationOptions (and the token) again.
                this.setState('running');
                return;
            }
            if (change.oldState === State.Running) {
                this.reportCrash();
            }
            this.setState(change.newState === State.Stopped ? 'stopped' : 'starting');
        });
        return client;
    }

    /** The connection dropped without us asking: the sidecar's last words are the best clue. */
    private reportCrash(): void {
        const tail = this.stderrTail.splice(0);
        this.log.error(`The sidecar stopped unexpectedly.${tail.length > 0 ? ` Its last output:\n${tail.join('\n')}` : ''}`);
    }

    private initializationOptions(): InitializationOptions {
        const section = sidecarConfiguration(this.configGetter());
        const { serverUrl, ...settings } = section;
        return {
            dataDir: this.options.extensionContext.globalStorageUri.fsPath,
            workspaceId: this.currentWorkspaceId,
            serverUrl: serverUrl ?? null,
            token: this.token ?? null,
            settings,
        };
    }

    private async readToken(): Promise<string | undefined> {
        try {
            return await this.options.credentials.token();
        } catch (error) {
            this.log.error(`Could not read the token for the sidecar: ${(error as Error).message}`);
            return undefined;
        }
    }

    private async pushConfiguration(): Promise<void> {
        const client = this.languageClient;
        if (!client?.isRunning()) {
            return;
        }
        try {
            await client.sendNotification(SidecarDidChangeConfigurationNotification.type, {
                settings: { offlineSync: sidecarConfiguration(this.configGetter()) },
            });
        } catch (error) {
            this.log.error(`Could not send settings to the sidecar: ${(error as Error).message}`);
        }
    }

    private configGetter(): (key: string) => unknown {
        const config = vscode.workspace.getConfiguration(ConfigSection);
        return (key) => config.get(key);
    }

    private setState(state: SidecarState): void {
        if (state === 'stopped' || state === 'missing') {
            // A status from a dead sidecar would be a lie; the next process sends a fresh one.
            this.latestStatus = undefined;
        }
        if (this.state !== state) {
            this.state = state;
            this.stateEmitter.fire(state);
        }
    }
}

function forEachLine(input: Readable, onLine: (line: string) => void): void {
    createInterface({ input, crlfDelay: Infinity, terminal: false }).on('line', onLine);
}

function isAlive(process: ChildProcess): boolean {
    return process.exitCode === null && process.signalCode === null;
}

function waitForExit(process: ChildProcess, ms: number): Promise<boolean> {
    if (!isAlive(process)) {
        return Promise.resolve(true);
    }
    return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(!isAlive(process)), ms);
        process.once('exit', () => {
            clearTimeout(timer);
            resolve(true);
        });
    });
}

/** VS Code does not reap an extension's children: a sidecar that ignored exit must not outlive the window. */
export async function killIfLingering(process: ChildProcess | undefined, log: Pick<vscode.LogOutputChannel, 'warn'>): Promise<void> {
    if (!process || process.pid === undefined || !isAlive(process)) {
        return;
    }
    if (await waitForExit(process, 200)) {
        return;
    }
    log.warn(`Sidecar (pid ${process.pid}) still running after shutdown; terminating it.`);
    process.kill('SIGTERM');
    if (await waitForExit(process, KillGraceMs)) {
        return;
    }
    process.kill('SIGKILL');
    await waitForExit(process, KillGraceMs);
}

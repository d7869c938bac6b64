/**
 * A small, recording stand-in for the `vscode` module, injected with installFakeVscode() so the extension's
 * glue (and the bundled dist/extension.js) run in plain node. It implements what the extension uses for real
 * (events, commands, configuration, status bar, tree views, messages) and records it; anything else that
 * vscode-languageclient merely touches resolves to an inert stub.
 */
import { EventEmitter as NodeEventEmitter } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import Module = require('node:module');
import * as path from 'node:path';
import { whenEmitted } from './whenEmitted';

type Listener<T> = (e: T) => unknown;

export class Disposable {
    static from(...items: { dispose(): unknown }[]): Disposable {
        return new Disposable(() => items.forEach((i) => i.dispose()));
    }
    constructor(private readonly callOnDispose: () => unknown) {}
    dispose(): void {
        this.callOnDispose();
    }
}

export class EventEmitter<T> {
    private listeners = new Set<Listener<T>>();
    readonly event = (listener: Listener<T>, thisArg?: unknown, disposables?: Disposable[]): Disposable => {
        const bound: Listener<T> = thisArg ? listener.bind(thisArg) : listener;
        this.listeners.add(bound);
        const d = new Disposable(() => this.listeners.delete(bound));
        disposables?.push(d);
        return d;
    };
    fire(data: T): void {
        for (const l of [...this.listeners]) {
            l(data);
        }
    }
    dispose(): void {
        this.listeners.clear();
    }
}

export class Uri {
    private constructor(
        readonly scheme: string,
        readonly authority: string,
        readonly path: string,
        readonly query: string,
        readonly fragment: string,
    ) {}
    static file(p: string): Uri {
        return new Uri('file', '', path.resolve(p), '', '');
    }
    static parse(value: string): Uri {
        const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
        if (!m) {
            throw new Error(`bad uri ${value}`);
        }
        return new Uri(m[1] ?? '', m[2] ?? '', m[3] ?? '', m[4] ?? '', m[5] ?? '');
    }
    static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
        return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
    }
    static joinPath(base: Uri, ...segments: string[]): Uri {
        return new Uri(base.scheme, base.authority, path.posix.join(base.path, ...segments), base.query, base.fragment);
    }
    get fsPath(): string {
        return this.path;
    }
    with(change: Partial<{ scheme: string; authority: string; path: string; query: string }>): Uri {
        return new Uri(change.scheme ?? this.scheme, change.authority ?? this.authority, change.path ?? this.path, change.query ?? this.query, this.fragment);
    }
    toString(): string {
        return `${this.scheme}:${this.authority || this.scheme === 'file' ? `//${this.authority}` : ''}${this.path}${this.query ? `?${this.query}` : ''}`;
    }
    toJSON(): unknown {
        return { scheme: this.scheme, path: this.path };
    }
}

export class ThemeIcon {
    constructor(readonly id: string, readonly color?: ThemeColor) {}
}
export class ThemeColor {
    constructor(readonly id: string) {}
}
export class MarkdownString {
    isTrusted: boolean | { enabledCommands: string[] } | undefined;
    constructor(public value = '', public supportThemeIcons = false) {}
    appendMarkdown(text: string): this {
        this.value += text;
        return this;
    }
}
export enum TreeItemCollapsibleState { None = 0, Collapsed = 1, Expanded = 2 }
export enum FileType { Unknown = 0, File = 1, Directory = 2, SymbolicLink = 64 }
export enum FilePermission { Readonly = 1 }
export enum FileChangeType { Changed = 1, Created = 2, Deleted = 3 }

/** Like VS Code's: `code` names the factory that made it ('Unknown' for the constructor). */
export class FileSystemError extends Error {
    static FileNotFound(messageOrUri?: string | Uri): FileSystemError { return new FileSystemError(messageOrUri, 'FileNotFound'); }
    static FileExists(messageOrUri?: string | Uri): FileSystemError { return new FileSystemError(messageOrUri, 'FileExists'); }
    static FileNotADirectory(messageOrUri?: string | Uri): FileSystemError { return new FileSystemError(messageOrUri, 'FileNotADirectory'); }
    static FileIsADirectory(messageOrUri?: string | Uri): FileSystemError { return new FileSystemError(messageOrUri, 'FileIsADirectory'); }
    static NoPermissions(messageOrUri?: string | Uri): FileSystemError { return new FileSystemError(messageOrUri, 'NoPermissions'); }
    static Unavailable(messageOrUri?: string | Uri): FileSystemError { return new FileSystemError(messageOrUri, 'Unavailable'); }
    readonly code: string;
    constructor(messageOrUri?: string | Uri, code = 'Unknown') {
        super(messageOrUri instanceof Uri ? messageOrUri.toString() : (messageOrUri ?? ''));
        this.code = code;
        this.name = `${code} (FileSystemError)`;
    }
}

export class FileDecoration {
    propagate?: boolean;
    constructor(readonly badge?: string, readonly tooltip?: string, readonly color?: ThemeColor) {}
}
export class TreeItem {
    id?: string;
    description?: string;
    tooltip?: string | MarkdownString;
    iconPath?: ThemeIcon;
    contextValue?: string;
    command?: { command: string; title: string; arguments?: unknown[] };
    constructor(public label: string, public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None) {}
}
export enum StatusBarAlignment { Left = 1, Right = 2 }
export enum ProgressLocation { SourceControl = 1, Window = 10, Notification = 15 }
export enum LogLevel { Off = 0, Trace = 1, Debug = 2, Info = 3, Warning = 4, Error = 5 }
export enum ConfigurationTarget { Global = 1, Workspace = 2, WorkspaceFolder = 3 }
export class CancellationTokenSource {
    private readonly emitter = new EventEmitter<void>();
    readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
    cancel(): void {
        this.token.isCancellationRequested = true;
        this.emitter.fire();
    }
    dispose(): void {}
}
export class CancellationError extends Error {}
export class Position {
    constructor(readonly line: number, readonly character: number) {}
}
export class Range {
    constructor(readonly start: Position, readonly end: Position) {}
}

/** Anything the extension does not use but the language client touches: callable, constructible, inert. */
function inertStub(name: string, touched: Set<string>): unknown {
    const target = function () {} as unknown as object;
    return new Proxy(target, {
        get(_t, prop) {
            if (prop === 'then') {
                return undefined;
            }
            if (prop === Symbol.iterator) {
                return function* () {};
            }
            if (prop === Symbol.toPrimitive) {
                return () => `[stub ${name}]`;
            }
            if (prop === 'prototype') {
                return {};
            }
            const child = `${name}.${String(prop)}`;
            touched.add(child);
            return inertStub(child, touched);
        },
        apply() {
            return inertStub(`${name}()`, touched);
        },
        construct() {
            return inertStub(`new ${name}`, touched) as object;
        },
    });
}

function withFallback<T extends object>(name: string, real: T, touched: Set<string>): T {
    return new Proxy(real, {
        get(target, prop, receiver) {
            if (prop in target || typeof prop === 'symbol' || prop === 'then') {
                return Reflect.get(target, prop, receiver);
            }
            const id = `${name}.${String(prop)}`;
            touched.add(id);
            return inertStub(id, touched);
        },
    });
}

export interface ShownMessage { severity: 'info' | 'warning' | 'error'; message: string; items: string[] }

export interface FakeStatusBarItem {
    id: string;
    text: string;
    tooltip: MarkdownString | string | undefined;
    backgroundColor: ThemeColor | undefined;
    command: string | undefined;
    name: string | undefined;
    visible: boolean;
    accessibilityInformation?: unknown;
    show(): void;
    hide(): void;
    dispose(): void;
}

export interface FakeTreeView {
    id: string;
    provider: { getChildren(e?: unknown): unknown; getTreeItem(e: unknown): unknown; onDidChangeTreeData?: (l: Listener<unknown>) => Disposable };
    badge: { value: number; tooltip: string } | undefined;
    options: Record<string, unknown>;
    dispose(): void;
}

export class FakeLog {
    readonly lines: string[] = [];
    readonly name: string;
    logLevel = LogLevel.Info;
    readonly onDidChangeLogLevel = new EventEmitter<LogLevel>().event;
    constructor(name: string, private readonly onShow?: () => void) {
        this.name = name;
    }
    private add(level: string, message: string): void {
        this.lines.push(`[${level}] ${message}`);
        if (process.env.FAKE_VSCODE_ECHO_LOG) {
            process.stderr.write(`[${this.name} ${level}] ${message}\n`);
        }
    }
    trace(m: string): void { this.add('trace', m); }
    debug(m: string): void { this.add('debug', m); }
    info(m: string): void { this.add('info', m); }
    warn(m: string): void { this.add('warn', m); }
    error(m: string | Error): void { this.add('error', String(m)); }
    append(m: string): void { this.add('raw', m); }
    appendLine(m: string): void { this.add('raw', m); }
    replace(m: string): void { this.add('raw', m); }
    clear(): void {}
    show(): void {
        this.shown = true;
        this.onShow?.();
    }
    hide(): void {}
    dispose(): void {}
    shown = false;
}

export interface FakeVscodeOptions {
    settings?: Record<string, unknown>;
    workspaceFolders?: string[];
}

/** Builds a fresh fake; `module` is what `require('vscode')` returns. */
export function createFakeVscode(options: FakeVscodeOptions = {}) {
    const touched = new Set<string>();
    const settings = new Map<string, unknown>(Object.entries(options.settings ?? {}));
    const commands = new Map<string, (...args: unknown[]) => unknown>();
    const context = new Map<string, unknown>();
    const executed: { command: string; args: unknown[] }[] = [];
    const messages: ShownMessage[] = [];
    /** Answers for message/input/quick-pick prompts, consumed in order; undefined = dismissed. */
    const answers: unknown[] = [];
    const statusBarItems: FakeStatusBarItem[] = [];
    const treeViews: FakeTreeView[] = [];
    const progress: { title?: string; location: ProgressLocation; cancellable?: boolean; reports: unknown[]; done: boolean; cancel(): void }[] = [];
    const logs: FakeLog[] = [];
    const contentProviders = new Map<string, { provideTextDocumentContent(uri: Uri): unknown; onDidChange?: unknown }>();
    const fileSystemProviders = new Map<string, { provider: unknown; options: unknown }>();
    const decorationProviders: unknown[] = [];
    const workspaceFolderUpdates: { start: number; deleteCount: number; folders: { uri: Uri; name?: string }[] }[] = [];
    const openEmitter = new EventEmitter<unknown>();
    const closeEmitter = new EventEmitter<unknown>();
    const configurationEmitter = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();
    const saveEmitter = new EventEmitter<unknown>();
    const events = new NodeEventEmitter();

    const nextAnswer = (): unknown => answers.shift();

    const showMessage = (severity: ShownMessage['severity']) => async (message: string, ...rest: unknown[]) => {
        const items = rest.filter((r): r is string => typeof r === 'string');
        messages.push({ severity, message, items });
        events.emit('message', { severity, message, items });
        return nextAnswer();
    };

    const configuration = (section?: string) => ({
        get<T>(key: string, defaultValue?: T): T | undefined {
            const full = section ? `${section}.${key}` : key;
            return settings.has(full) ? (settings.get(full) as T) : defaultValue;
        },
        has(key: string): boolean {
            return settings.has(section ? `${section}.${key}` : key);
        },
        inspect(): undefined {
            return undefined;
        },
        async update(key: string, value: unknown): Promise<void> {
            setSetting(section ? `${section}.${key}` : key, value);
        },
    });

    function setSetting(key: string, value: unknown): void {
        settings.set(key, value);
        configurationEmitter.fire({ affectsConfiguration: (s: string) => key === s || key.startsWith(`${s}.`) });
    }

    const window = withFallback('window', {
        createOutputChannel(name: string): FakeLog {
            const log: FakeLog = new FakeLog(name, () => events.emit('logShown', log));
            logs.push(log);
            return log;
        },
        createStatusBarItem(id: string): FakeStatusBarItem {
            const item: FakeStatusBarItem = {
                id, text: '', tooltip: undefined, backgroundColor: undefined, command: undefined, name: undefined, visible: false,
                show() { item.visible = true; },
                hide() { item.visible = false; },
                dispose() { item.visible = false; },
            };
            statusBarItems.push(item);
            return item;
        },
        createTreeView(id: string, opts: { treeDataProvider: FakeTreeView['provider'] } & Record<string, unknown>): FakeTreeView {
            const view: FakeTreeView = { id, provider: opts.treeDataProvider, badge: undefined, options: opts, dispose() {} };
            treeViews.push(view);
            return view;
        },
        showInformationMessage: showMessage('info'),
        showWarningMessage: showMessage('warning'),
        showErrorMessage: showMessage('error'),
        showInputBox: async () => nextAnswer(),
        showQuickPick: async () => nextAnswer(),
        showSaveDialog: async () => nextAnswer(),
        showOpenDialog: async () => nextAnswer(),
        setStatusBarMessage: () => new Disposable(() => undefined),
        showTextDocument: async (doc: unknown) => doc,
        async withProgress<R>(opts: { title?: string; location: ProgressLocation; cancellable?: boolean }, task: (p: { report(v: unknown): void }, token: unknown) => Promise<R>): Promise<R> {
            const source = new CancellationTokenSource();
            const entry = { title: opts.title, location: opts.location, cancellable: opts.cancellable, reports: [] as unknown[], done: false, cancel: () => source.cancel() };
            progress.push(entry);
            try {
                return await task({ report: (v) => entry.reports.push(v) }, source.token);
            } finally {
                entry.done = true;
            }
        },
        activeTextEditor: undefined,
        registerFileDecorationProvider(provider: unknown): Disposable {
            decorationProviders.push(provider);
            return new Disposable(() => decorationProviders.splice(decorationProviders.indexOf(provider), 1));
        },
        visibleTextEditors: [],
        onDidChangeActiveTextEditor: new EventEmitter<unknown>().event,
        onDidChangeVisibleTextEditors: new EventEmitter<unknown>().event,
    }, touched);

    const workspace = withFallback('workspace', {
        getConfiguration: configuration,
        onDidChangeConfiguration: configurationEmitter.event,
        onDidSaveTextDocument: saveEmitter.event,
        onDidOpenTextDocument: openEmitter.event,
        onDidCloseTextDocument: closeEmitter.event,
        onDidChangeTextDocument: new EventEmitter<unknown>().event,
        onDidChangeWorkspaceFolders: new EventEmitter<unknown>().event,
        workspaceFolders: options.workspaceFolders?.map((f, index) => ({ uri: Uri.file(f), name: path.basename(f), index })),
        workspaceFile: undefined,
        textDocuments: [] as unknown[],
        registerFileSystemProvider(scheme: string, provider: unknown, options: unknown): Disposable {
            if (fileSystemProviders.has(scheme)) {
                throw new Error(`a provider for '${scheme}' is already registered`);
            }
            fileSystemProviders.set(scheme, { provider, options });
            return new Disposable(() => fileSystemProviders.delete(scheme));
        },
        updateWorkspaceFolders(
            this: { workspaceFolders?: { uri: Uri; name: string; index: number }[] },
            start: number,
            deleteCount: number,
            ...folders: { uri: Uri; name?: string }[]
        ): boolean {
            workspaceFolderUpdates.push({ start, deleteCount, folders });
            const list = [...(this.workspaceFolders ?? [])];
            list.splice(start, deleteCount, ...folders.map((f) => ({ uri: f.uri, name: f.name ?? path.posix.basename(f.uri.path), index: 0 })));
            this.workspaceFolders = list.map((f, index) => ({ ...f, index }));
            return true;
        },
        registerTextDocumentContentProvider(scheme: string, provider: { provideTextDocumentContent(uri: Uri): unknown }): Disposable {
            contentProviders.set(scheme, provider);
            return new Disposable(() => contentProviders.delete(scheme));
        },
        fs: {
            createDirectory: (uri: Uri) => mkdir(uri.fsPath, { recursive: true }).then(() => undefined),
            writeFile: (uri: Uri, content: Uint8Array) => writeFile(uri.fsPath, content),
            readFile: (uri: Uri) => readFile(uri.fsPath),
        },
        async openTextDocument(uri: Uri) {
            const provider = contentProviders.get(uri.scheme);
            const text = provider ? String(await provider.provideTextDocumentContent(uri)) : '';
            return { uri, getText: () => text };
        },
    }, touched);

    const commandsNs = withFallback('commands', {
        registerCommand(id: string, handler: (...args: unknown[]) => unknown): Disposable {
            if (commands.has(id)) {
                throw new Error(`command '${id}' already registered`);
            }
            commands.set(id, handler);
            return new Disposable(() => commands.delete(id));
        },
        async executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
            executed.push({ command: id, args });
            if (id === 'setContext') {
                context.set(String(args[0]), args[1]);
                return undefined;
            }
            const handler = commands.get(id);
            return handler ? handler(...args) : undefined;
        },
        async getCommands(): Promise<string[]> {
            return [...commands.keys()];
        },
    }, touched);

    const module = withFallback('vscode', {
        version: '1.95.0',
        Disposable, EventEmitter, Uri, ThemeIcon, ThemeColor, MarkdownString, TreeItem, TreeItemCollapsibleState,
        StatusBarAlignment, ProgressLocation, LogLevel, ConfigurationTarget, CancellationTokenSource, CancellationError,
        Position, Range, FileType, FilePermission, FileChangeType, FileSystemError, FileDecoration,
        window, workspace, commands: commandsNs,
        env: withFallback('env', { appName: 'Fake VS Code', language: 'en', machineId: 'fake', sessionId: 'fake' }, touched),
        extensions: withFallback('extensions', { all: [], getExtension: () => undefined }, touched),
    }, touched);

    return {
        module,
        touched,
        settings,
        setSetting,
        commands,
        context,
        executed,
        messages,
        answers,
        statusBarItems,
        treeViews,
        progress,
        logs,
        contentProviders,
        fileSystemProviders,
        decorationProviders,
        workspaceFolderUpdates,
        events,
        fireSave: (doc: unknown) => saveEmitter.fire(doc),
        fireOpen: (doc: unknown) => openEmitter.fire(doc),
        fireClose: (doc: unknown) => closeEmitter.fire(doc),
    };
}

export type FakeVscode = ReturnType<typeof createFakeVscode>;

/**
 * Resolves once `check` holds: now, or right after the fake emits `event` ('message' when a message is shown,
 * 'logShown' when an output channel is) and it then does. Rejects after `ms`: a wait on the fake, not a poll.
 */
export async function whenFake(fake: FakeVscode, event: 'message' | 'logShown', what: string, check: () => boolean, ms = 5000): Promise<void> {
    await whenEmitted(fake.events, event, what, () => (check() ? true : undefined), ms);
}

type ModuleLoad = (request: string, parent: unknown, isMain: boolean) => unknown;

/** Makes `require('vscode')` return the fake until the returned function is called. */
export function installFakeVscode(fake: FakeVscode): () => void {
    const mod = Module as unknown as { _load: ModuleLoad };
    const original = mod._load;
    mod._load = function (request: string, parent: unknown, isMain: boolean) {
        return request === 'vscode' ? fake.module : original.call(this, request, parent, isMain);
    };
    return () => {
        mod._load = original;
    };
}

/** A minimal ExtensionContext with real folders for storage. */
export function fakeExtensionContext(opts: { extensionPath: string; globalStorage: string; secrets?: Map<string, string> }) {
    const secrets = opts.secrets ?? new Map<string, string>();
    const memento = () => {
        const values = new Map<string, unknown>();
        return {
            get: <T>(key: string, def?: T) => (values.has(key) ? (values.get(key) as T) : def),
            update: async (key: string, value: unknown) => {
                if (value === undefined) {
                    values.delete(key);
                } else {
                    values.set(key, value);
                }
            },
            keys: () => [...values.keys()],
        };
    };
    return {
        subscriptions: [] as { dispose(): unknown }[],
        extensionPath: opts.extensionPath,
        extensionUri: Uri.file(opts.extensionPath),
        globalStorageUri: Uri.file(opts.globalStorage),
        storageUri: Uri.file(path.join(opts.globalStorage, 'workspace')),
        logUri: Uri.file(path.join(opts.globalStorage, 'logs')),
        globalState: memento(),
        workspaceState: memento(),
        secrets: {
            get: async (key: string) => secrets.get(key),
            store: async (key: string, value: string) => void secrets.set(key, value),
            delete: async (key: string) => void secrets.delete(key),
            onDidChange: new EventEmitter<unknown>().event,
        },
        asAbsolutePath: (p: string) => path.join(opts.extensionPath, p),
    };
}

/**
 * Entry point: wires the sidecar context (ctx.ts) to the views. The extension is a view of the sidecar's state;
 * the queue, retries and sync decisions all live in the sidecar.
 */
import * as vscode from 'vscode';
import type { OfflineSyncApi } from './api';
import { ContextKeys } from './commandIds';
import { registerCommands } from './commands';
import { ConfigSection, progressLocationSetting, workspaceIdSetting } from './config';
import { Credentials } from './credentials';
import { Ctx } from './ctx';
import { registerDocumentsWorkspace } from './documents/documentsWorkspace';
import { FlushProgress } from './flushProgress';
import { OperationDocumentProvider, OperationScheme } from './operationDocuments';
import { PayloadEditor } from './payloadEditor';
import { EnqueueRequest, GetStatusRequest, ListOperationsRequest } from './protocol';
import { createQueueView, QueueTreeProvider } from './queueView';
import { SyncStatusBar } from './statusBar';
import { StorageNotifications } from './storageNotifications';
import { SyncNotifications } from './syncNotifications';
import { newWindowWorkspaceId, workspaceIdFor } from './workspaceId';

let activeCtx: Ctx | undefined;

const WindowWorkspaceIdKey = 'offlineSync.windowWorkspaceId';

/**
 * `offlineSync.workspaceId`, else the folders' (or workspace file's) hash; a folder-less window gets a random id
 * kept in its workspaceState.
 */
async function currentWorkspaceId(context: vscode.ExtensionContext): Promise<string> {
    const config = vscode.workspace.getConfiguration(ConfigSection);
    const fromFolders = workspaceIdFor({
        setting: workspaceIdSetting((key) => config.get(key)),
        workspaceFile: vscode.workspace.workspaceFile?.toString(),
        folders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()),
    });
    if (fromFolders !== undefined) {
        return fromFolders;
    }
    let id = context.workspaceState.get<string>(WindowWorkspaceIdKey);
    if (id === undefined) {
        id = newWindowWorkspaceId();
        await context.workspaceState.update(WindowWorkspaceIdKey, id);
    }
    return id;
}

async function updateSignedInContext(credentials: Credentials): Promise<void> {
    await vscode.commands.executeCommand('setContext', ContextKeys.signedIn, (await credentials.token()) !== undefined);
}

export async function activate(context: vscode.ExtensionContext): Promise<OfflineSyncApi> {
    const log = vscode.window.createOutputChannel('Offline Sync', { log: true });
    context.subscriptions.push(log);

    const credentials = new Credentials(context.secrets, context.globalState, process.env);
    const flushProgress = new FlushProgress(() => {
        const config = vscode.workspace.getConfiguration(ConfigSection);
        return progressLocationSetting((key) => config.get(key));
    });
    const ctx = new Ctx({
        extensionContext: context,
        log,
        credentials,
        workspaceId: await currentWorkspaceId(context),
        deriveWorkspaceId: () => currentWorkspaceId(context),
        features: [(client) => flushProgress.feature(client)],
    });
    activeCtx = ctx;

    const queue = new QueueTreeProvider(ctx);
    const queueView = createQueueView(queue);
    const documents = new OperationDocumentProvider(ctx);
    const payloadEditor = new PayloadEditor(ctx, context.globalStorageUri);
    const notifications = new SyncNotifications(ctx);
    // Registered before the sidecar starts: a window made only of documents folders reads them right away.
    const documentsWorkspace = registerDocumentsWorkspace(ctx);
    context.subscriptions.push(
        flushProgress,
        queue,
        queueView.disposable,
        documents,
        vscode.workspace.registerTextDocumentContentProvider(OperationScheme, documents),
        payloadEditor,
        notifications,
        new SyncStatusBar(ctx),
        new StorageNotifications(ctx),
        ...documentsWorkspace,
        ctx.onSyncEvent((event) => flushProgress.onSyncEvent(event)),
        ctx.onDidChangeStatus((status) => void vscode.commands.executeCommand('setContext', ContextKeys.workOffline, status.workOffline)),
        ctx.onDidChangeSidecarState((state) => void vscode.commands.executeCommand('setContext', ContextKeys.sidecarState, state)),
        ...registerCommands({
            ctx,
            credentials,
            queue,
            payloadEditor,
            onCredentialsChanged: () => {
                notifications.credentialsChanged();
                void updateSignedInContext(credentials);
            },
        }),
    );
    void updateSignedInContext(credentials);

    // Not awaited: activation must not wait for the sidecar; API calls wait for it instead.
    void ctx.start();

    return {
        apiVersion: 1,
        enqueue: async (op) => (await ctx.client()).sendRequest(EnqueueRequest.type, op),
        getStatus: async () => (await ctx.client()).sendRequest(GetStatusRequest.type),
        onDidChangeStatus: ctx.onDidChangeStatus,
        // JavaScript callers omit optional arguments (or pass null): the sidecar wants an object either way.
        listOperations: async (params) => (await ctx.client()).sendRequest(ListOperationsRequest.type, params ?? {}),
    };
}

/** VS Code waits for this promise: the sidecar gets shutdown/exit and is killed if it lingers. */
export async function deactivate(): Promise<void> {
    const ctx = activeCtx;
    activeCtx = undefined;
    await ctx?.dispose();
}

/**
 * Every command of the extension. Each one is a thin call into the sidecar; errors become one message
 * (and a log line) instead of VS Code's generic "command failed".
 */
import * as vscode from 'vscode';
import { CommandIds, QueueViewId } from './commandIds';
import { ConfigSection, signOutClearDataSetting } from './config';
import { resolveConflict } from './conflictResolver';
import type { Credentials } from './credentials';
import type { Ctx } from './ctx';
import { conflictOperationOf, documentCommandHandlers } from './documents/documentCommands';
import { operationUri } from './operationDocuments';
import type { PayloadEditor } from './payloadEditor';
import {
    ClearQueueRequest,
    DiscardRequest,
    EnqueueRequest,
    EnqueueResult,
    ExportRequest,
    ImportRequest,
    PrioritizeRequest,
    RetryRequest,
    SetWorkOfflineRequest,
    SyncNowRequest,
} from './protocol';
import { QueueTreeProvider } from './queueView';
import { DefaultSampleCount, MaxSampleCount, parseSampleRequest, sampleOperations, validCount } from './sampleOperations';
import type { GroupStatus } from './viewModel/queueTreeModel';
import { signedOutMessage, signOutPlan, signOutQuestion, unsyncedCount } from './viewModel/signOutModel';

export interface CommandDeps {
    ctx: Ctx;
    credentials: Credentials;
    queue: QueueTreeProvider;
    payloadEditor: PayloadEditor;
    /** Called after the token changed, so a later authRequired is news again. */
    onCredentialsChanged: () => void;
}

type Handler = (...args: unknown[]) => unknown;

function plural(n: number, unit: string): string {
    return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** The sidecar reads and writes export files itself, so only a file on this machine will do. */
function localPath(uri: vscode.Uri, verb: string): string {
    if (uri.scheme !== 'file') {
        throw new Error(`The sidecar can only ${verb} a file on this machine, not ${uri.toString()}. Choose a local file.`);
    }
    return uri.fsPath;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
    const { ctx, credentials, queue, payloadEditor } = deps;

    const guarded = (name: string, handler: Handler): Handler => async (...args: unknown[]) => {
        try {
            return await handler(...args);
        } catch (error) {
            const message = (error as Error).message ?? String(error);
            ctx.log.error(`${name}: ${message}`);
            void vscode.window.showErrorMessage(`Offline Sync: ${message}`);
            return undefined;
        }
    };

    /**
     * The ids a row command acts on. None is worth saying: an inline action clicked while the tree was being
     * refreshed reaches the command without its element, and a silent no-op looks like a sync that never happens.
     */
    const selectedIds = (name: string, clicked: unknown, selection: unknown): string[] => {
        const ids = QueueTreeProvider.selectedOperations(clicked, selection).map((row) => row.id);
        if (ids.length === 0) {
            ctx.log.warn(`${name}: no operation row was passed (the queue view was probably refreshing); nothing done`);
            vscode.window.setStatusBarMessage('Offline Sync: the queue changed meanwhile; try again', 5000);
        }
        return ids;
    };

    const singleId = (clicked: unknown): string => {
        const [row] = QueueTreeProvider.selectedOperations(clicked, undefined);
        if (row) {
            return row.id;
        }
        if (typeof clicked === 'string') {
            return clicked;
        }
        throw new Error('Select an operation in the Sync Queue view first.');
    };

    const handlers: Record<string, Handler> = {
        [CommandIds.syncNow]: async () => {
            const client = await ctx.client();
            const { started } = await client.sendRequest(SyncNowRequest.type);
            if (!started) {
                vscode.window.setStatusBarMessage('Offline Sync: nothing to sync right now', 3000);
            }
            return started;
        },
        [CommandIds.showQueue]: () => vscode.commands.executeCommand(`${QueueViewId}.focus`),
        [CommandIds.workOffline]: async () => (await ctx.client()).sendRequest(SetWorkOfflineRequest.type, { enabled: true }),
        [CommandIds.goOnline]: async () => (await ctx.client()).sendRequest(SetWorkOfflineRequest.type, { enabled: false }),
        [CommandIds.retry]: async (clicked, selection) => {
            const ids = selectedIds('retry', clicked, selection);
            if (ids.length === 0) {
                return 0;
            }
            const { count } = await (await ctx.client()).sendRequest(RetryRequest.type, { ids });
            return count;
        },
        [CommandIds.retryAllFailed]: async () => {
            const { count } = await (await ctx.client()).sendRequest(RetryRequest.type, { allFailed: true });
            vscode.window.setStatusBarMessage(`Offline Sync: retrying ${plural(count, 'operation')}`, 3000);
            return count;
        },
        [CommandIds.discard]: async (clicked, selection) => {
            const ids = selectedIds('discard', clicked, selection);
            if (ids.length === 0) {
                return 0;
            }
            const answer = await vscode.window.showWarningMessage(
                `Discard ${plural(ids.length, 'operation')}?`,
                { modal: true, detail: 'Discarded operations are deleted from the local queue and will never be synced.' },
                'Discard',
            );
            if (answer !== 'Discard') {
                return 0;
            }
            const { count } = await (await ctx.client()).sendRequest(DiscardRequest.type, { ids });
            return count;
        },
        [CommandIds.showDetails]: async (clicked) => {
            const doc = await vscode.workspace.openTextDocument(operationUri(singleId(clicked), 'details'));
            await vscode.window.showTextDocument(doc, { preview: true });
        },
        [CommandIds.prioritize]: async (clicked) => (await ctx.client()).sendRequest(PrioritizeRequest.type, { id: singleId(clicked) }),
        [CommandIds.editPayload]: (clicked) => payloadEditor.open(singleId(clicked)),
        [CommandIds.resolveConflict]: async (clicked) => {
            // From the explorer: a document in conflict, whose conflicting operation is looked up.
            if (clicked instanceof vscode.Uri) {
                const id = await conflictOperationOf(ctx, clicked);
                return id === undefined ? undefined : resolveConflict(ctx, id);
            }
            return resolveConflict(ctx, singleId(clicked));
        },
        [CommandIds.exportQueue]: async () => {
            const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
            const target = await vscode.window.showSaveDialog({
                title: 'Export Offline Sync Queue',
                saveLabel: 'Export',
                filters: { 'Queue export': ['json'] },
                defaultUri: folder?.scheme === 'file' ? vscode.Uri.joinPath(folder, 'offline-sync-queue.json') : undefined,
            });
            if (!target) {
                return undefined;
            }
            const { count } = await (await ctx.client()).sendRequest(ExportRequest.type, { path: localPath(target, 'export to') });
            void vscode.window.showInformationMessage(`Exported ${plural(count, 'operation')} to ${target.fsPath}.`);
            return count;
        },
        [CommandIds.importQueue]: async () => {
            const [source] = (await vscode.window.showOpenDialog({
                title: 'Import Offline Sync Queue',
                openLabel: 'Import',
                canSelectMany: false,
                filters: { 'Queue export': ['json'] },
            })) ?? [];
            if (!source) {
                return undefined;
            }
            const { count, skipped } = await (await ctx.client()).sendRequest(ImportRequest.type, { path: localPath(source, 'import from') });
            void vscode.window.showInformationMessage(`Imported ${plural(count, 'operation')}${skipped > 0 ? ` (${skipped} already queued)` : ''}.`);
            return count;
        },
        [CommandIds.clearQueue]: async () => {
            const answer = await vscode.window.showWarningMessage(
                "Clear this workspace's sync queue?",
                { modal: true, detail: 'Every operation that is not syncing right now is deleted and will never reach the server.' },
                'Clear Queue',
            );
            if (answer !== 'Clear Queue') {
                return 0;
            }
            const { count } = await (await ctx.client()).sendRequest(ClearQueueRequest.type, {});
            return count;
        },
        [CommandIds.signIn]: async () => {
            const token = await vscode.window.showInputBox({
                title: 'Offline Sync: Sign In',
                prompt: 'Access token for the sync server (stored in the OS keychain via VS Code SecretStorage)',
                password: true,
                ignoreFocusOut: true,
                validateInput: (value) => (value.trim() === '' ? 'Enter a token' : undefined),
            });
            if (token === undefined) {
                return false;
            }
            await credentials.signIn(token.trim());
            deps.onCredentialsChanged();
            await ctx.sendCredentials(token.trim());
            return true;
        },
        [CommandIds.signOut]: async () => {
            const setting = signOutClearDataSetting((key) => vscode.workspace.getConfiguration(ConfigSection).get(key));
            const unsynced = unsyncedCount(queue.currentCounts);
            const account = ctx.status?.account ?? null;
            const question = signOutQuestion(setting, unsynced, account);
            const answer = question
                ? await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, ...question.choices)
                : undefined;
            const plan = signOutPlan(setting, unsynced, answer, question !== undefined);
            if (plan === undefined) {
                return false;
            }
            if (plan.exportFirst && (await vscode.commands.executeCommand<number | undefined>(CommandIds.exportQueue)) === undefined) {
                return false; // The export was cancelled: nothing is deleted, and the user is still signed in.
            }
            await credentials.signOut();
            deps.onCredentialsChanged();
            const result = await ctx.signOut(plan.clearData);
            void vscode.window.showInformationMessage(signedOutMessage(result.cleared, account));
            return true;
        },
        [CommandIds.showLog]: () => ctx.log.show(true),
        [CommandIds.restartSidecar]: () => ctx.restart(),
        [CommandIds.enqueueSample]: async (arg): Promise<EnqueueResult[] | undefined> => {
            let request = parseSampleRequest(arg);
            if (request === undefined) {
                const answer = await vscode.window.showInputBox({
                    title: 'Offline Sync: Queue Sample Operations',
                    prompt: 'How many document.put.v1 operations (on entities demo-1, demo-2, …)?',
                    value: String(DefaultSampleCount),
                    validateInput: (value) => (validCount(Number(value)) ? undefined : `A whole number from 1 to ${MaxSampleCount}`),
                });
                if (answer === undefined) {
                    return undefined;
                }
                request = { count: Number(answer) };
            }
            const client = await ctx.client();
            const results: EnqueueResult[] = [];
            for (const op of sampleOperations(request, new Date())) {
                results.push(await client.sendRequest(EnqueueRequest.type, op));
            }
            return results;
        },
        [CommandIds.loadMore]: (status) => queue.loadMore(status as GroupStatus),
        ...documentCommandHandlers(ctx),
    };

    return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, guarded(id, handler)));
}

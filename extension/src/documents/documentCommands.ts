/**
 * The commands of the documents workspace: Open Documents, Pull Documents, Resolve All Conflicts…, Keep Available
 * Offline and its undo, and finding the conflict of a document for Resolve Conflict… Each is a thin call into the
 * sidecar; commands.ts registers them with its error handling.
 */
import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import type { Ctx } from '../ctx';
import { BulkResolution, CachePinRequest, CacheStatRequest, ListOperationsRequest, PullRequest, PullResult, ResolveAllRequest, ResolveAllResult } from '../protocol';
import { folderPrefix, RootId } from './documentPaths';
import { documentsRoot, entityIdOf } from './documentUris';
import { isNotFound } from './fileSystemErrors';
import { listAll, ListPageSize } from './sidecarRequests';

type Handler = (...args: unknown[]) => unknown;

/** The name of the documents folder in the explorer. */
export const DocumentsFolderName = 'Offline Sync Documents';

interface BulkResolutionPick extends vscode.QuickPickItem {
    resolution: BulkResolution;
}

function plural(n: number, unit: string): string {
    return `${n.toLocaleString('en-US')} ${unit}${n === 1 ? '' : 's'}`;
}

/** The documents a command was invoked on: the explorer's selection, the clicked one, or the active editor's. */
function selectedUris(clicked: unknown, selection: unknown): vscode.Uri[] {
    if (Array.isArray(selection) && selection.length > 0) {
        return selection.filter((u): u is vscode.Uri => u instanceof vscode.Uri);
    }
    if (clicked instanceof vscode.Uri) {
        return [clicked];
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    return active ? [active] : [];
}

/** Adds the documents root as the LAST workspace folder (the first one decides the window's identity), or reveals it. */
async function openDocuments(ctx: Ctx): Promise<'added' | 'revealed'> {
    const root = documentsRoot(ctx.workspaceId);
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.some((folder) => folder.uri.toString() === root.toString())) {
        await vscode.commands.executeCommand('revealInExplorer', root);
        return 'revealed';
    }
    if (!vscode.workspace.updateWorkspaceFolders(folders.length, 0, { uri: root, name: DocumentsFolderName })) {
        throw new Error('VS Code did not add the documents folder (another change of the workspace folders is under way); try again.');
    }
    return 'added';
}

async function pull(ctx: Ctx): Promise<PullResult> {
    const result = await (await ctx.client()).sendRequest(PullRequest.type);
    const message = result.complete
        ? `Pulled ${plural(result.pulled, 'change')} from the server.`
        : `Pull stopped after ${plural(result.pulled, 'change')}; the next pull continues from there.`;
    void vscode.window.showInformationMessage(message);
    return result;
}

async function resolveAll(ctx: Ctx): Promise<ResolveAllResult | undefined> {
    const picks: BulkResolutionPick[] = [
        { label: '$(arrow-up) Keep Mine', description: 'send every conflicting change again, over the server version', resolution: 'keepLocal' },
        { label: '$(cloud-download) Take Server', description: 'drop every conflicting change and keep the server versions', resolution: 'takeServer' },
        { label: '$(git-merge) Merge Where Clean', description: 'merge the text documents whose changes do not overlap; leave the rest', resolution: 'mergeClean' },
    ];
    const choice = await vscode.window.showQuickPick(picks, { title: 'Resolve All Conflicts', placeHolder: 'How should every conflict be resolved?', ignoreFocusOut: true });
    if (!choice) {
        return undefined;
    }
    const result = await (await ctx.client()).sendRequest(ResolveAllRequest.type, { resolution: choice.resolution });
    const remaining = result.remaining > 0 ? `; ${plural(result.remaining, 'conflict')} left to resolve one by one` : '';
    void vscode.window.showInformationMessage(`Resolved ${plural(result.resolved, 'conflict')}${remaining}.`);
    return result;
}

/** The documents a URI stands for: itself, or every document under a folder. */
async function documentsAt(ctx: Ctx, uri: vscode.Uri): Promise<string[]> {
    const id = entityIdOf(uri, ctx.workspaceId);
    if (id !== RootId) {
        try {
            const stat = await (await ctx.client()).sendRequest(CacheStatRequest.type, { entityId: id });
            if (stat.kind === 'file') {
                return [id];
            }
        } catch (error) {
            if (isNotFound(error)) {
                return [];
            }
            throw error;
        }
    }
    return (await listAll(ctx, folderPrefix(id))).documents.map((d) => d.entityId);
}

async function pin(ctx: Ctx, uris: vscode.Uri[], pinned: boolean): Promise<number> {
    if (uris.length === 0) {
        throw new Error('Select an Offline Sync document or folder in the explorer first.');
    }
    const ids = (await Promise.all(uris.map((uri) => documentsAt(ctx, uri)))).flat();
    const client = await ctx.client();
    let count = 0;
    for (let i = 0; i < ids.length; i += ListPageSize) {
        count += (await client.sendRequest(CachePinRequest.type, { entityIds: ids.slice(i, i + ListPageSize), pinned })).count;
    }
    vscode.window.setStatusBarMessage(
        pinned ? `Offline Sync: ${plural(ids.length, 'document')} kept available offline` : `Offline Sync: ${plural(ids.length, 'document')} may be evicted again`,
        5000,
    );
    return count;
}

/** The operation in conflict on a document (its head), or undefined with a message when there is none. */
export async function conflictOperationOf(ctx: Ctx, uri: vscode.Uri): Promise<string | undefined> {
    const entityId = entityIdOf(uri, ctx.workspaceId);
    const page = await (await ctx.client()).sendRequest(ListOperationsRequest.type, { entityId, statuses: ['conflict'], limit: 1 });
    const [operation] = page.items;
    if (!operation) {
        void vscode.window.showInformationMessage(`${entityId} is not in conflict.`);
        return undefined;
    }
    return operation.id;
}

export function documentCommandHandlers(ctx: Ctx): Record<string, Handler> {
    return {
        [CommandIds.openDocuments]: () => openDocuments(ctx),
        [CommandIds.pull]: () => pull(ctx),
        [CommandIds.resolveAll]: () => resolveAll(ctx),
        [CommandIds.pinDocument]: (clicked, selection) => pin(ctx, selectedUris(clicked, selection), true),
        [CommandIds.unpinDocument]: (clicked, selection) => pin(ctx, selectedUris(clicked, selection), false),
    };
}

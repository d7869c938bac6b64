/**
 * Wires the documents workspace: the `offline-sync:` file system, its change events (from `offlineSync/cacheChanged`
 * and from sync states), the decorations, the conflict context key and the open-documents report.
 */
import * as vscode from 'vscode';
import { ContextKeys } from '../commandIds';
import type { Ctx } from '../ctx';
import { DocumentDecorations } from './documentDecorations';
import { DocumentFileSystem } from './documentFileSystem';
import { DocumentsScheme, documentUri } from './documentUris';
import { OpenDocumentsReporter } from './openDocumentsReporter';
import { UnsyncedDocuments } from './unsyncedDocuments';

export function registerDocumentsWorkspace(ctx: Ctx): vscode.Disposable[] {
    const fileSystem = new DocumentFileSystem(ctx);
    const unsynced = new UnsyncedDocuments(ctx);
    const decorations = new DocumentDecorations(ctx, unsynced);
    let servedWorkspace = ctx.workspaceId;

    const updateConflictContext = (): void => {
        const uris = unsynced.entitiesIn('conflict').map((id) => documentUri(ctx.workspaceId, id).toString());
        void vscode.commands.executeCommand('setContext', ContextKeys.conflictDocuments, uris);
    };

    const disposables = [
        fileSystem,
        unsynced,
        decorations,
        new OpenDocumentsReporter(ctx),
        vscode.workspace.registerFileSystemProvider(DocumentsScheme, fileSystem, { isCaseSensitive: true }),
        vscode.window.registerFileDecorationProvider(decorations),
        ctx.onDidChangeCache(({ entityIds }) => {
            void (entityIds === undefined ? fileSystem.changes.everythingChanged() : fileSystem.changes.entitiesChanged(entityIds));
        }),
        // A state change can change what a read shows (a discarded save reverts the content), so it is a file change
        // too; but not while the sidecar is away (the map is only emptied then, and every stat would fail).
        unsynced.onDidChange((ids) => {
            if (ctx.sidecarState === 'running') {
                void fileSystem.changes.entitiesChanged(ids);
            }
            updateConflictContext();
        }),
        ctx.onDidChangeSidecarState((state) => {
            if (state !== 'running') {
                return;
            }
            if (ctx.workspaceId !== servedWorkspace) {
                servedWorkspace = ctx.workspaceId;
                fileSystem.reset();
            } else {
                // Another window's sidecar may have pulled into the shared store meanwhile.
                void fileSystem.changes.everythingChanged();
            }
        }),
    ];
    updateConflictContext();
    return disposables;
}

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

export interface DocumentsWorkspace {
    fileSystem: DocumentFileSystem;
    unsynced: UnsyncedDocuments;
    disposables: vscode.Disposable[];
}

export function registerDocumentsWorkspace(ctx: Ctx): DocumentsWorkspace {
    const fileSystem = new DocumentFileSystem(ctx);
    const unsynced = new UnsyncedDocuments(ctx);
    const decorations = new DocumentDecorations(ctx, unsynced);
    let servedWorkspace = ctx.workspaceId;

    const updateConflictContext = (): void => {
        const uris = unsynced.entitiesIn('conflict').map((id) => documentUri(ctx.workspaceId, id).toString());
        void vscode.commands.executeCommand('setContext', ContextKeys.conflictDocuments, uris);
    };

    const disposables: vscode.Disposable[] = [
        fileSystem,
        unsynced,
        decorations,
        new OpenDocumentsReporter(ctx),
        vscode.workspace.registerFileSystemProvider(DocumentsScheme, fileSystem, { isCaseSensitive: true }),
        vscode.window.registerFileDecorationProvider(decorations),
        ctx.onDidChangeCache(({ entityIds }) => {
            void (entityIds === undefined ? fileSystem.changes.everythingChanged() : fileSystem.changes.entitiesChanged(entityIds));
        }),
        // A state change can change what a read shows (a discarded save reverts the content), so it is a file change too.
        unsynced.onDidChange((ids) => {
            void fileSystem.changes.entitiesChanged(ids);
            updateConflictContext();
        }),
        ctx.onDidChangeSidecarState((state) => {
            if (state === 'running' && ctx.workspaceId !== servedWorkspace) {
                servedWorkspace = ctx.workspaceId;
                fileSystem.reset();
            }
        }),
    ];
    updateConflictContext();
    return { fileSystem, unsynced, disposables };
}

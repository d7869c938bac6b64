/**
 * Explorer and tab decorations of `offline-sync:` documents from their sync state (UnsyncedDocuments).
 * VS Code asks only when it draws a file, so every change of state is announced for its URI.
 */
import * as vscode from 'vscode';
import { documentDecoration } from '../viewModel/documentDecorationModel';
import { documentUri, entityIdOf, isDocumentOf } from './documentUris';
import type { UnsyncedDocuments } from './unsyncedDocuments';

export class DocumentDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
    private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri[]>();
    private readonly subscription: vscode.Disposable;

    readonly onDidChangeFileDecorations = this.changeEmitter.event;

    constructor(private readonly workspace: { readonly workspaceId: string }, private readonly unsynced: UnsyncedDocuments) {
        this.subscription = unsynced.onDidChange((ids) => {
            this.changeEmitter.fire(ids.map((id) => documentUri(workspace.workspaceId, id)));
        });
    }

    provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
        if (!isDocumentOf(uri, this.workspace.workspaceId)) {
            return undefined;
        }
        const model = documentDecoration(this.unsynced.get(entityIdOf(uri, this.workspace.workspaceId))?.state);
        if (model === undefined) {
            return undefined;
        }
        const decoration = new vscode.FileDecoration(model.badge, model.tooltip, new vscode.ThemeColor(model.color));
        decoration.propagate = model.propagate;
        return decoration;
    }

    dispose(): void {
        this.subscription.dispose();
        this.changeEmitter.dispose();
    }
}

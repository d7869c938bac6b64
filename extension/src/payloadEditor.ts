/**
 * "Edit Payload": the payload of a pending operation is written to a JSON file under the extension's storage
 * and opened; saving that file sends `offlineSync/updateOperation`. The sidecar decides whether the edit is
 * still allowed (only while pending) and the user sees its answer.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { GetOperationRequest, UpdateOperationRequest } from './protocol';

export class PayloadEditor implements vscode.Disposable {
    private readonly folder: vscode.Uri;
    /** File path → operation id. */
    private readonly editing = new Map<string, string>();
    private readonly disposables: vscode.Disposable[] = [];

    constructor(private readonly ctx: Ctx, storage: vscode.Uri) {
        this.folder = vscode.Uri.joinPath(storage, 'payload-edits');
        this.disposables.push(vscode.workspace.onDidSaveTextDocument((doc) => void this.onSave(doc)));
    }

    async open(operationId: string): Promise<void> {
        const client = await this.ctx.client();
        const details = await client.sendRequest(GetOperationRequest.type, { id: operationId });
        if (details.operation.status !== 'pending') {
            void vscode.window.showWarningMessage(`Only pending operations can be edited; this one is ${details.operation.status}.`);
            return;
        }
        const safeName = operationId.replace(/[^A-Za-z0-9_.-]/g, '_');
        const file = vscode.Uri.joinPath(this.folder, `${safeName}.json`);
        await vscode.workspace.fs.createDirectory(this.folder);
        await vscode.workspace.fs.writeFile(file, Buffer.from(`${JSON.stringify(details.operation.payload ?? null, null, 2)}\n`, 'utf8'));
        this.editing.set(path.normalize(file.fsPath), operationId);
        await vscode.window.showTextDocument(file, { preview: false });
    }

    private async onSave(doc: vscode.TextDocument): Promise<void> {
        const id = this.editing.get(path.normalize(doc.uri.fsPath));
        if (id === undefined) {
            return;
        }
        let payload: unknown;
        try {
            payload = JSON.parse(doc.getText());
        } catch (error) {
            void vscode.window.showErrorMessage(`The payload is not valid JSON, so the operation was not updated: ${(error as Error).message}`);
            return;
        }
        try {
            const client = await this.ctx.client();
            await client.sendRequest(UpdateOperationRequest.type, { id, payload });
            void vscode.window.showInformationMessage('Operation payload updated.');
        } catch (error) {
            void vscode.window.showErrorMessage(`Could not update the operation: ${(error as Error).message}`);
        }
    }

    dispose(): void {
        for (const d of this.disposables.splice(0)) {
            d.dispose();
        }
    }
}

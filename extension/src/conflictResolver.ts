/**
 * Resolve Conflict: a diff of the server's version against the local payload (the text, for a text document), then
 * the user's choice. The sidecar applies the resolution; nothing here decides what wins.
 */
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { baseName } from './documents/documentPaths';
import { DocumentPutType, textOf } from './documents/textPayload';
import { closeOperationDiffs, operationUri } from './operationDocuments';
import { ConflictResolution, GetOperationRequest, ResolveConflictRequest } from './protocol';

interface ResolutionPick extends vscode.QuickPickItem {
    resolution: ConflictResolution;
}

export async function resolveConflict(ctx: Ctx, operationId: string): Promise<ConflictResolution | undefined> {
    const client = await ctx.client();
    const details = await client.sendRequest(GetOperationRequest.type, { id: operationId });
    if (details.operation.status !== 'conflict' || details.conflict === null) {
        void vscode.window.showInformationMessage('This operation is no longer in conflict.');
        return undefined;
    }
    const op = details.operation;
    const entity = op.entityId ?? op.id;
    // A text document is compared as text, under its own name so the diff gets its language.
    const textName = op.type === DocumentPutType && textOf(op.payload) !== undefined ? baseName(entity) : undefined;
    const deleted = details.conflict.serverPayload === null ? ', deleted' : '';
    await vscode.commands.executeCommand(
        'vscode.diff',
        operationUri(op.id, 'server', textName),
        operationUri(op.id, 'local', textName),
        `${entity}: Server (v${details.conflict.serverVersion}${deleted}) ↔ Mine`,
        { preview: true },
    );
    const picks: ResolutionPick[] = [
        { label: '$(arrow-up) Keep Mine', description: 'send my change again, over the server version', resolution: 'keepLocal' },
        { label: '$(cloud-download) Take Server', description: 'drop my change and keep the server version', resolution: 'takeServer' },
    ];
    const choice = await vscode.window.showQuickPick(picks, {
        title: `Resolve conflict on ${entity}`,
        placeHolder: 'Which version should win?',
        ignoreFocusOut: true,
    });
    if (!choice) {
        return undefined;
    }
    await client.sendRequest(ResolveConflictRequest.type, { id: op.id, resolution: choice.resolution });
    try {
        await closeOperationDiffs(op.id);
    } catch (error) {
        ctx.log.warn(`Closing the compare editor of ${op.id}: ${(error as Error).message}`);
    }
    return choice.resolution;
}

/**
 * Resolve Conflict: a diff of the server's version against the local payload, then the user's choice.
 * The sidecar applies the resolution; nothing here decides what wins.
 */
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
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
    await vscode.commands.executeCommand(
        'vscode.diff',
        operationUri(op.id, 'server'),
        operationUri(op.id, 'local'),
        `${entity}: Server (v${details.conflict.serverVersion}) ↔ Mine`,
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

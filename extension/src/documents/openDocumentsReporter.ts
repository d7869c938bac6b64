/**
 * Tells the sidecar which documents are open in an editor (`offlineSync/cache/opened`): it never evicts those.
 * A new sidecar process knows none of them, so the whole set is sent again after every (re)start.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { CacheOpenedRequest } from '../protocol';
import { entityIdOf, isDocumentOf } from './documentUris';

type ReporterCtx = Pick<Ctx, 'client' | 'log' | 'workspaceId' | 'onDidChangeSidecarState'>;

export class OpenDocumentsReporter implements vscode.Disposable {
    private readonly disposables: vscode.Disposable[] = [];

    constructor(private readonly ctx: ReporterCtx) {
        this.disposables.push(
            vscode.workspace.onDidOpenTextDocument((doc) => void this.report([doc.uri], true)),
            vscode.workspace.onDidCloseTextDocument((doc) => void this.report([doc.uri], false)),
            ctx.onDidChangeSidecarState((state) => {
                if (state === 'running') {
                    void this.report(vscode.workspace.textDocuments.map((doc) => doc.uri), true);
                }
            }),
        );
    }

    dispose(): void {
        for (const d of this.disposables.splice(0)) {
            d.dispose();
        }
    }

    private async report(uris: readonly vscode.Uri[], open: boolean): Promise<void> {
        const workspaceId = this.ctx.workspaceId;
        const entityIds = uris.filter((uri) => isDocumentOf(uri, workspaceId)).map((uri) => entityIdOf(uri, workspaceId)).filter((id) => id !== '');
        if (entityIds.length === 0) {
            return;
        }
        try {
            const client = await this.ctx.client();
            await client.sendRequest(CacheOpenedRequest.type, { entityIds, open });
        } catch (error) {
            // Only eviction is at stake, and the next start sends the set again.
            this.ctx.log.debug(`Telling the sidecar which documents are ${open ? 'open' : 'closed'}: ${(error as Error).message}`);
        }
    }
}

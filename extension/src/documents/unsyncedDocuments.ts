/**
 * Which documents have unfinished work, and in which state: the sidecar's `offlineSync/cache/unsynced`, read again
 * (debounced) whenever the queue or the cache changed and after every sidecar start. Decorations, the conflict
 * context key and the file change events follow the entities whose entry appeared, vanished or changed.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { debounce } from '../debounce';
import { CacheState, CacheUnsyncedRequest, UnsyncedDocument } from '../protocol';

/** queueChanged comes up to ~10 times a second during a flush; the map is read at most this often. */
export const UnsyncedRefreshDebounceMs = 150;

export type UnsyncedEntry = Pick<UnsyncedDocument, 'state' | 'operationId'>;

type UnsyncedCtx = Pick<Ctx, 'client' | 'log' | 'onDidChangeQueue' | 'onDidChangeCache' | 'onDidChangeSidecarState' | 'sidecarState'>;

export class UnsyncedDocuments implements vscode.Disposable {
    private entries = new Map<string, UnsyncedEntry>();
    private truncatedReported = false;
    private readonly changeEmitter = new vscode.EventEmitter<string[]>();
    private readonly disposables: vscode.Disposable[] = [];
    private readonly scheduleRefresh = debounce(() => void this.refresh(), UnsyncedRefreshDebounceMs);

    /** Entity ids whose entry appeared, vanished, or changed state or operation. */
    readonly onDidChange = this.changeEmitter.event;

    constructor(private readonly ctx: UnsyncedCtx) {
        this.disposables.push(
            this.changeEmitter,
            ctx.onDidChangeQueue(() => this.scheduleRefresh()),
            ctx.onDidChangeCache(() => this.scheduleRefresh()),
            ctx.onDidChangeSidecarState((state) => {
                if (state === 'running') {
                    this.scheduleRefresh();
                } else {
                    // A stopped sidecar knows nothing; the next one is read afresh.
                    this.scheduleRefresh.cancel();
                    this.replace(new Map());
                }
            }),
            { dispose: () => this.scheduleRefresh.cancel() },
        );
        if (ctx.sidecarState === 'running') {
            this.scheduleRefresh();
        }
    }

    get(entityId: string): UnsyncedEntry | undefined {
        return this.entries.get(entityId);
    }

    entitiesIn(state: CacheState): string[] {
        return [...this.entries].filter(([, entry]) => entry.state === state).map(([id]) => id);
    }

    private async refresh(): Promise<void> {
        try {
            const client = await this.ctx.client();
            const result = await client.sendRequest(CacheUnsyncedRequest.type, {});
            if (result.truncated && !this.truncatedReported) {
                this.truncatedReported = true;
                this.ctx.log.warn('More documents have unfinished work than the sidecar lists at once; some decorations are missing.');
            }
            this.replace(new Map(result.items.map((item) => [item.entityId, { state: item.state, operationId: item.operationId }])));
        } catch (error) {
            this.ctx.log.debug(`Reading the documents with unfinished work: ${(error as Error).message}`);
        }
    }

    dispose(): void {
        for (const d of this.disposables.splice(0)) {
            d.dispose();
        }
    }

    private replace(next: Map<string, UnsyncedEntry>): void {
        const changed: string[] = [];
        for (const [id, entry] of this.entries) {
            const now = next.get(id);
            if (now === undefined || now.state !== entry.state || now.operationId !== entry.operationId) {
                changed.push(id);
            }
        }
        for (const id of next.keys()) {
            if (!this.entries.has(id)) {
                changed.push(id);
            }
        }
        this.entries = next;
        if (changed.length > 0) {
            this.changeEmitter.fire(changed);
        }
    }
}

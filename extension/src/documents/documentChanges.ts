/**
 * `onDidChangeFile` of the documents workspace, fed by `offlineSync/cacheChanged` and by changes of a document's
 * sync state. Every changed document and its folder get `Changed` (open editors reload, or turn "deleted").
 * The explorer, though, refreshes only for a `Created` it has not shown or a `Deleted` it has: so the folders VS Code
 * listed are remembered, and a change under one is checked against that listing to say Created or Deleted instead.
 * Events are batched for a few milliseconds, as in VS Code's memfs sample.
 */
import * as vscode from 'vscode';
import { childId, folderPrefix, parentId, RootId } from './documentPaths';
import { documentsRoot, documentUri } from './documentUris';

export type EntryKind = vscode.FileType.File | vscode.FileType.Directory | undefined;

/** What the documents file system lends this class. */
export interface DocumentLookup {
    readonly workspaceId: string;
    /** File, directory, or undefined when there is nothing at `entityId`. */
    kindOf(entityId: string): Promise<EntryKind>;
    /** A folder's entries as readDirectory would answer them; empty when the folder is gone. */
    entriesOf(folderId: string): Promise<Map<string, vscode.FileType>>;
    /** Entity ids of the documents open in an editor. */
    openDocumentIds(): string[];
}

/** As in the memfs sample: long enough to merge a burst, short enough to feel immediate. */
export const FileChangeBatchMs = 5;
/** Lookups in flight at once while a change notification is checked against the listings. */
const ConcurrentLookups = 32;

export class DocumentChanges implements vscode.Disposable {
    private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
    /** What readDirectory last answered, per folder id. */
    private readonly listings = new Map<string, Map<string, vscode.FileType>>();
    private batch = new Map<string, vscode.FileChangeEvent>();
    private timer: NodeJS.Timeout | undefined;

    readonly onDidChangeFile = this.emitter.event;

    constructor(private readonly lookup: DocumentLookup) {}

    /** readDirectory answered `entries` for `folderId`. */
    listed(folderId: string, entries: ReadonlyMap<string, vscode.FileType>): void {
        this.listings.set(folderId, new Map(entries));
    }

    /** These documents may have changed content, state, or existence. */
    async entitiesChanged(entityIds: readonly string[]): Promise<void> {
        const checks = new Set<string>();
        for (const id of entityIds) {
            this.add(documentUri(this.lookup.workspaceId, id), vscode.FileChangeType.Changed);
            this.add(this.folderUri(parentId(id)), vscode.FileChangeType.Changed);
            const shown = this.shownChildOnPath(id);
            if (shown !== undefined) {
                checks.add(shown);
            }
        }
        await inChunks([...checks], ConcurrentLookups, (id) => this.check(id));
        this.schedule();
    }

    /** Anything may have changed (the sidecar did not list the ids): every listed folder is read again. */
    async everythingChanged(): Promise<void> {
        this.add(documentsRoot(this.lookup.workspaceId), vscode.FileChangeType.Changed);
        for (const id of this.lookup.openDocumentIds()) {
            this.add(documentUri(this.lookup.workspaceId, id), vscode.FileChangeType.Changed);
        }
        await inChunks([...this.listings.keys()], ConcurrentLookups, async (folderId) => {
            const before = this.listings.get(folderId);
            const after = await this.lookup.entriesOf(folderId);
            if (before === undefined) {
                return;
            }
            for (const name of before.keys()) {
                if (!after.has(name)) {
                    this.add(documentUri(this.lookup.workspaceId, childId(folderId, name)), vscode.FileChangeType.Deleted);
                }
            }
            for (const name of after.keys()) {
                if (!before.has(name)) {
                    this.add(documentUri(this.lookup.workspaceId, childId(folderId, name)), vscode.FileChangeType.Created);
                }
            }
            this.listings.set(folderId, after);
        });
        this.schedule();
    }

    /** Forgets every listing (another workspace id, or a new sidecar that may hold other documents). */
    reset(): void {
        this.listings.clear();
    }

    dispose(): void {
        if (this.timer !== undefined) {
            clearTimeout(this.timer);
        }
        this.emitter.dispose();
    }

    /**
     * The entry the explorer shows on the path to `entityId`: the child of the deepest listed folder above it
     * (the document itself, or a folder that appeared or vanished with it). undefined when no folder above is listed.
     */
    private shownChildOnPath(entityId: string): string | undefined {
        let folder = parentId(entityId);
        for (;;) {
            if (this.listings.has(folder)) {
                const name = entityId.slice(folderPrefix(folder).length).split('/')[0] ?? '';
                return childId(folder, name);
            }
            if (folder === RootId) {
                return undefined;
            }
            folder = parentId(folder);
        }
    }

    private async check(entityId: string): Promise<void> {
        const listing = this.listings.get(parentId(entityId));
        if (listing === undefined) {
            return;
        }
        const name = entityId.slice(folderPrefix(parentId(entityId)).length);
        const kind = await this.lookup.kindOf(entityId);
        const uri = documentUri(this.lookup.workspaceId, entityId);
        if (kind === undefined && listing.has(name)) {
            listing.delete(name);
            this.add(uri, vscode.FileChangeType.Deleted);
        } else if (kind !== undefined && !listing.has(name)) {
            listing.set(name, kind);
            this.add(uri, vscode.FileChangeType.Created);
        }
    }

    private folderUri(folderId: string): vscode.Uri {
        return folderId === RootId ? documentsRoot(this.lookup.workspaceId) : documentUri(this.lookup.workspaceId, folderId);
    }

    /** One event per URI: Created and Deleted say more than Changed, so they win. */
    private add(uri: vscode.Uri, type: vscode.FileChangeType): void {
        const key = uri.toString();
        const existing = this.batch.get(key);
        if (existing === undefined || type !== vscode.FileChangeType.Changed) {
            this.batch.set(key, { uri, type });
        }
    }

    private schedule(): void {
        if (this.timer !== undefined || this.batch.size === 0) {
            return;
        }
        this.timer = setTimeout(() => {
            this.timer = undefined;
            const events = [...this.batch.values()];
            this.batch = new Map();
            this.emitter.fire(events);
        }, FileChangeBatchMs);
    }
}

/**
 * Runs `work` over `items`, `size` at a time. A lookup that fails (the sidecar is restarting) leaves its listing as it
 * was: the Changed events still go out, and the next change notification looks again.
 */
async function inChunks<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
    for (let i = 0; i < items.length; i += size) {
        await Promise.all(items.slice(i, i + size).map((item) => work(item).catch(() => undefined)));
    }
}

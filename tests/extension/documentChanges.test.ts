/**
 * File change events of the documents workspace: Changed for every changed document and its folder, Created/Deleted
 * against what readDirectory showed (the explorer refreshes only for those), batched into one event per burst.
 */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { createFakeVscode, FileChangeType, FileType, installFakeVscode } from './support/fakeVscode';

const uninstall = installFakeVscode(createFakeVscode());
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DocumentChanges, FileChangeBatchMs } = require('../../extension/src/documents/documentChanges') as typeof import('../../extension/src/documents/documentChanges');

type Events = { uri: { toString(): string }; type: FileChangeType }[];

/** A scripted documents store: what exists now, by id. */
class Store {
    files = new Set<string>();
    folders = new Set<string>();
    open: string[] = [];
    lookups = 0;
    readonly workspaceId = 'ws-1';
    async kindOf(id: string): Promise<FileType.File | FileType.Directory | undefined> {
        this.lookups++;
        return this.files.has(id) ? FileType.File : this.folders.has(id) ? FileType.Directory : undefined;
    }
    async entriesOf(folderId: string): Promise<Map<string, FileType>> {
        const prefix = folderId === '' ? '' : `${folderId}/`;
        const entries = new Map<string, FileType>();
        for (const f of this.files) {
            if (f.startsWith(prefix) && !f.slice(prefix.length).includes('/')) {
                entries.set(f.slice(prefix.length), FileType.File);
            }
        }
        return entries;
    }
    openDocumentIds(): string[] {
        return this.open;
    }
}

function summary(events: Events): string[] {
    const names = { [FileChangeType.Changed]: 'changed', [FileChangeType.Created]: 'created', [FileChangeType.Deleted]: 'deleted' };
    return events.map((e) => `${names[e.type]} ${e.uri.toString()}`).sort();
}

describe('document change events', () => {
    let store: Store;
    let changes: InstanceType<typeof DocumentChanges>;
    let fired: Events[];
    const next = () => new Promise<Events>((resolve) => {
        const d = changes.onDidChangeFile((events) => {
            d.dispose();
            resolve(events as unknown as Events);
        });
    });

    beforeEach(() => {
        store = new Store();
        changes = new DocumentChanges(store as never);
        fired = [];
        changes.onDidChangeFile((events) => fired.push(events as unknown as Events));
    });
    after(uninstall);

    it('says Changed for a document and its folder when no folder above it was listed', async () => {
        const event = next();
        await changes.entitiesChanged(['notes/a.md']);
        assert.deepEqual(summary(await event), ['changed offline-sync://ws-1/notes', 'changed offline-sync://ws-1/notes/a.md']);
        assert.equal(store.lookups, 0, 'nothing to compare with, nothing looked up');
    });

    it('says Created for a document the listing did not show and Deleted for one it showed that is gone', async () => {
        store.files = new Set(['a.md', 'b.md']);
        changes.listed('', new Map([['a.md', FileType.File], ['gone.md', FileType.File]]));
        const event = next();
        await changes.entitiesChanged(['b.md', 'gone.md', 'a.md']);
        assert.deepEqual(summary(await event), [
            'changed offline-sync://ws-1/',
            'changed offline-sync://ws-1/a.md',
            'created offline-sync://ws-1/b.md',
            'deleted offline-sync://ws-1/gone.md',
        ]);
    });

    it('announces a new folder (not the deep document) to the deepest listed folder above it', async () => {
        store.files = new Set(['new/deep/x.md']);
        store.folders = new Set(['new', 'new/deep']);
        changes.listed('', new Map());
        const event = next();
        await changes.entitiesChanged(['new/deep/x.md']);
        assert.deepEqual(summary(await event), [
            'changed offline-sync://ws-1/new/deep',
            'changed offline-sync://ws-1/new/deep/x.md',
            'created offline-sync://ws-1/new',
        ]);
    });

    it('merges a burst into one event and looks each shown entry up once', async (t) => {
        // The batch timer runs on node's mock clock: it fires when the test moves the clock, so "one event" is a
        // fact once the clock has gone far past any batch the burst could have started, not a guess about a pause.
        t.mock.timers.enable({ apis: ['setTimeout'] });
        store.files = new Set(['a.md']);
        changes.listed('', new Map());
        const event = next();
        await Promise.all([changes.entitiesChanged(['a.md']), changes.entitiesChanged(['a.md'])]);
        t.mock.timers.tick(FileChangeBatchMs);
        assert.deepEqual(summary(await event), ['changed offline-sync://ws-1/', 'created offline-sync://ws-1/a.md']);
        t.mock.timers.tick(FileChangeBatchMs * 100);
        assert.equal(fired.length, 1);
    });

    it('reads every listed folder again when the sidecar does not say what changed', async () => {
        store.files = new Set(['keep.md', 'new.md', 'notes/n.md']);
        store.open = ['notes/n.md'];
        changes.listed('', new Map([['keep.md', FileType.File], ['old.md', FileType.File]]));
        const event = next();
        await changes.everythingChanged();
        assert.deepEqual(summary(await event), [
            'changed offline-sync://ws-1/',
            'changed offline-sync://ws-1/notes/n.md',
            'created offline-sync://ws-1/new.md',
            'deleted offline-sync://ws-1/old.md',
        ]);
    });
});

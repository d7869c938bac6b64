/** The sidecar hears which documents are open (never evicted): on open and close, and the whole set on every start. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { CacheOpenedParams } from '../../extension/src/protocol';
import { createFakeVscode, EventEmitter, FakeLog, installFakeVscode, Uri } from './support/fakeVscode';

const fake = createFakeVscode();
const uninstall = installFakeVscode(fake);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { OpenDocumentsReporter } = require('../../extension/src/documents/openDocumentsReporter') as typeof import('../../extension/src/documents/openDocumentsReporter');

class ScriptedCtx {
    readonly state = new EventEmitter<string>();
    readonly onDidChangeSidecarState = this.state.event;
    readonly log = new FakeLog('test');
    readonly workspaceId = 'ws-1';
    readonly sent: CacheOpenedParams[] = [];
    running = true;
    async client() {
        if (!this.running) {
            throw new Error('The Offline Sync sidecar is not running.');
        }
        return {
            sendRequest: async (type: { method: string }, params: CacheOpenedParams) => {
                assert.equal(type.method, 'offlineSync/cache/opened');
                this.sent.push(params);
                return {};
            },
        };
    }
}

const doc = (uri: string) => ({ uri: Uri.parse(uri) });
// Not a timed wait: the work under test is promise chains over a scripted client with no I/O, and a timer of 0 runs
// only once every queued promise callback has.
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('open documents → sidecar', () => {
    after(uninstall);
    const ctx = new ScriptedCtx();
    const reporter = new OpenDocumentsReporter(ctx as never);
    after(() => reporter.dispose());

    it('reports an opened and a closed document of this workspace, nothing else', async () => {
        fake.fireOpen(doc('offline-sync://ws-1/notes/a.md'));
        fake.fireOpen(doc('offline-sync://ws-2/notes/a.md'));
        fake.fireOpen(doc('file:///home/u/a.md'));
        fake.fireClose(doc('offline-sync://ws-1/notes/a.md'));
        await settle();
        assert.deepEqual(ctx.sent, [{ entityIds: ['notes/a.md'], open: true }, { entityIds: ['notes/a.md'], open: false }]);
    });

    it('sends every open document again after each sidecar start', async () => {
        ctx.sent.length = 0;
        const documents = fake.module.workspace.textDocuments as unknown[];
        documents.push(doc('offline-sync://ws-1/a.md'), doc('offline-sync://ws-1/b/c.md'), doc('untitled:Untitled-1'));
        ctx.state.fire('running');
        ctx.state.fire('stopped');
        ctx.state.fire('running');
        await settle();
        const expected = { entityIds: ['a.md', 'b/c.md'], open: true };
        assert.deepEqual(ctx.sent, [expected, expected]);
    });

    it('only logs when the sidecar is not there (the next start sends the set)', async () => {
        ctx.sent.length = 0;
        ctx.running = false;
        fake.fireOpen(doc('offline-sync://ws-1/x.md'));
        await settle();
        assert.deepEqual(ctx.sent, []);
        assert.ok(ctx.log.lines.some((l) => l.startsWith('[debug]') && l.includes('not running')));
    });
});

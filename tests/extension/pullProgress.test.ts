/**
 * A pull's $/progress (token offline-sidecar/pull/…) becomes a cancellable notification; cancelling it sends
 * window/workDoneProgress/cancel with that token. A flush's progress is not affected.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createFakeVscode, installFakeVscode, ProgressLocation } from './support/fakeVscode';

const fake = createFakeVscode();
const uninstall = installFakeVscode(fake);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FlushProgress } = require('../../extension/src/flushProgress') as typeof import('../../extension/src/flushProgress');

/** The client side the feature uses: it answers create, follows $/progress per token, sends notifications. */
class ScriptedClient {
    createHandler: ((params: { token: string }) => void) | undefined;
    readonly progressHandlers = new Map<string, (value: unknown) => void>();
    readonly sent: { method: string; params: unknown }[] = [];
    onRequest(type: { method: string }, handler: (params: { token: string }) => void) {
        assert.equal(type.method, 'window/workDoneProgress/create');
        this.createHandler = handler;
        return { dispose() {} };
    }
    onProgress(_type: unknown, token: string, handler: (value: unknown) => void) {
        this.progressHandlers.set(token, handler);
        return { dispose: () => this.progressHandlers.delete(token) };
    }
    async sendNotification(type: { method: string }, params: unknown) {
        this.sent.push({ method: type.method, params });
    }
    progress(token: string, value: unknown): void {
        this.progressHandlers.get(token)?.(value);
    }
}

// Not a timed wait: the work under test is promise chains over a scripted client with no I/O, and a timer of 0 runs
// only once every queued promise callback has.
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('pull progress', () => {
    after(uninstall);

    it('shows a cancellable notification and sends the cancel for its token', async () => {
        const client = new ScriptedClient();
        const progress = new FlushProgress(() => 'window');
        progress.feature(client as never).initialize?.({} as never, undefined);
        const token = 'offline-sidecar/pull/01PULL';
        client.createHandler?.({ token });
        client.progress(token, { kind: 'begin', title: 'Pulling documents', cancellable: true, message: 'Pulled 1,000 changes (1 page)' });
        await settle();
        const shown = fake.progress.at(-1);
        assert.ok(shown);
        assert.equal(shown.title, 'Pulling documents');
        assert.equal(shown.location, ProgressLocation.Notification, 'a pull is a notification whatever progressLocation says');
        assert.equal(shown.cancellable, true);
        client.progress(token, { kind: 'report', message: 'Pulled 2,000 of 4,000 changes', percentage: 50 });
        client.progress(token, { kind: 'report', message: 'Pulled 3,000 of 4,000 changes', percentage: 75 });
        assert.deepEqual(shown.reports.slice(-2), [
            { message: 'Pulled 2,000 of 4,000 changes', increment: 50 },
            { message: 'Pulled 3,000 of 4,000 changes', increment: 25 },
        ]);

        shown.cancel();
        assert.deepEqual(client.sent, [{ method: 'window/workDoneProgress/cancel', params: { token } }]);
        client.progress(token, { kind: 'end', message: 'Pull cancelled' });
        await settle();
        assert.equal(shown.done, true);
        assert.equal(client.progressHandlers.size, 0, 'the token is no longer followed');
    });

    it('leaves a small flush without progress and never sends a cancel for it', async () => {
        const client = new ScriptedClient();
        const progress = new FlushProgress(() => 'notification');
        progress.feature(client as never).initialize?.({} as never, undefined);
        const before = fake.progress.length;
        progress.onSyncEvent({ kind: 'flushStarted', counts: { pending: 2, syncing: 0, failed: 0, conflict: 0, succeeded: 0 }, ids: ['a', 'b'], message: null, total: 2 });
        client.createHandler?.({ token: 'offline-sidecar/flush/01FLUSH' });
        client.progress('offline-sidecar/flush/01FLUSH', { kind: 'begin', title: 'Syncing', cancellable: false });
        client.progress('offline-sidecar/flush/01FLUSH', { kind: 'end' });
        await settle();
        assert.equal(fake.progress.length, before);
        assert.deepEqual(client.sent, []);
    });
});

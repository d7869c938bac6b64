/**
 * The BUNDLED extension (dist/extension.js) under a recording fake `vscode`, against the real sidecar
 * (OFFLINE_SIDECAR_PATH → dist/sidecar) and the real reference sync server (dist/sync-server).
 * Status bar and tree must follow enqueues, the server going down and coming back, and a retry.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { OfflineSyncApi } from '../../extension/src/api';
import type { EnqueueResult } from '../../extension/src/protocol';
import type { QueueRow } from '../../extension/src/viewModel/queueTreeModel';
import { BundledExtension, startBundledExtension } from './support/bundledExtension';
import { FakeTreeView } from './support/fakeVscode';
import type { SyncServer } from './support/syncServer';

const Token = 'integration-token';

/** Child processes of this test named offline-sidecar (Linux /proc). */
function sidecarChildren(): number[] {
    const pids: number[] = [];
    for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) {
            continue;
        }
        try {
            const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
            const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
            if (ppid === process.pid && comm.startsWith('offline-sideca')) {
                pids.push(Number(entry));
            }
        } catch {
            // The process ended while we looked.
        }
    }
    return pids;
}

describe('bundled extension + real sidecar + real sync server', { timeout: 240_000 }, () => {
    let harness: BundledExtension;
    let fake: BundledExtension['fake'];
    let dir: string;
    let server: SyncServer;
    let api: OfflineSyncApi;
    let view: FakeTreeView;

    const bar = () => fake.statusBarItems[0];
    const command = (id: string, ...args: unknown[]) => fake.module.commands.executeCommand(id, ...args);
    const statuses: unknown[] = [];
    const barSnapshot = () =>
        `status bar "${bar()?.text}"; last status ${JSON.stringify(statuses.at(-1))}; messages ${JSON.stringify(fake.messages)}`;

    // A poll with a deadline: what these tests wait for (status bar text, the sidecar's processes, answers of the
    // real sidecar) raises no event the test could await.
    async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
        const deadline = Date.now() + ms;
        while (!(await check())) {
            if (Date.now() > deadline) {
                throw new Error(`timed out waiting for ${what}; ${barSnapshot()}`);
            }
            await new Promise((r) => setTimeout(r, 50));
        }
    }
    const untilBar = (text: string, ms?: number) => until(`status bar "${text}"`, () => bar()?.text === text, ms);

    async function documentText(uriPath: string): Promise<string> {
        const provider = fake.contentProviders.get('offline-sync-op');
        assert.ok(provider, 'offline-sync-op content provider registered');
        return String(await provider.provideTextDocumentContent(fake.module.Uri.from({ scheme: 'offline-sync-op', path: uriPath })));
    }

    async function rows(parent?: QueueRow): Promise<QueueRow[]> {
        return (await view.provider.getChildren(parent)) as QueueRow[];
    }
    /** The tree redraws on queueChanged, debounced: it may trail the status bar by a few hundred ms. */
    async function untilGroups(expected: [string, string][]): Promise<QueueRow[]> {
        let groups: QueueRow[] = [];
        await until(`groups ${JSON.stringify(expected)}`, async () => {
            groups = await rows();
            return JSON.stringify(groups.map((g) => [g.label, g.description])) === JSON.stringify(expected);
        }, 5000);
        return groups;
    }

    before(async () => {
        harness = await startBundledExtension({
            name: 'offline-sync-integration',
            token: Token,
            settings: { syncMode: 'eager', notifications: 'errorsOnly' },
        });
        ({ fake, server, dir, api } = harness);
        api.onDidChangeStatus((status) => statuses.push(status));
        view = fake.treeViews.find((v) => v.id === 'offlineSync.queue') as FakeTreeView;
    });

    after(async () => {
        await harness?.stop();
    });

    it('starts the sidecar and shows "Synced" once it reports an empty queue', async () => {
        await untilBar('$(check) Synced');
        assert.equal(fake.context.get('offlineSync.sidecarState'), 'running');
        assert.equal(sidecarChildren().length, 1, 'exactly one sidecar process');
        assert.deepEqual(await rows(), []);
        assert.ok(existsSync(path.join(dir, 'storage')), 'the sidecar keeps its data in globalStorage');
        // The token rides in initializationOptions: not one request of the sidecar's first seconds went unsigned.
        const log = fake.logs.find((l) => l.name === 'Offline Sync');
        assert.ok(!log?.lines.some((l) => /missing bearer token|refused our credentials/.test(l)), JSON.stringify(log?.lines));
        assert.ok(!statuses.some((st) => (st as { connectivity?: string }).connectivity === 'authRequired'));
    });

    it('queues while working offline: circle-slash with the count, Pending group, badge', async () => {
        await command('offlineSync.workOffline');
        await untilBar('$(circle-slash) Offline');
        await until('the work-offline context key', () => fake.context.get('offlineSync.workOffline') === true);

        const results = (await command('offlineSync.enqueueSample', { count: 5 })) as EnqueueResult[];
        assert.equal(results.length, 5);
        await untilBar('$(circle-slash) 5');
        const [pending] = await untilGroups([['Pending', '5']]);
        assert.ok(pending);
        const children = await rows(pending);
        assert.deepEqual(children.map((r) => r.id), results.map((r) => r.id), 'rows are the operations, in delivery order');
        assert.ok(children.every((r) => r.label === 'document.put.v1'));
        assert.match(children[0]?.description ?? '', /^demo-1 · \d+s · 0 attempts$/);
        assert.deepEqual(view.badge, { value: 5, tooltip: '5 operations not yet synced' });
        const page = await api.listOperations({ statuses: ['pending'] });
        assert.equal(page.total, 5);
        // A plain-JavaScript consumer omits the optional argument, or passes null or undefined.
        const untyped = api.listOperations as (...args: unknown[]) => Promise<{ total: number }>;
        for (const args of [[], [undefined], [null]]) {
            assert.equal((await untyped.apply(api, args)).total, 5, JSON.stringify(args));
        }
    });

    it('edits a pending payload: the JSON file under globalStorage, saved → updateOperation', async () => {
        const [pending] = await rows();
        const [first] = await rows(pending);
        await command('offlineSync.editPayload', first);
        const file = path.join(dir, 'storage', 'payload-edits', `${first?.id}.json`);
        assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { title?: string }).title, 'Demo document 1');
        fake.fireSave({ uri: fake.module.Uri.file(file), getText: () => '{ "title": "edited offline" }' });
        await until('the payload update', async () => {
            const details = JSON.parse(await documentText(`/${first?.id}/details.json`)) as { operation: { payload: unknown } };
            return JSON.stringify(details.operation.payload) === '{"title":"edited offline"}';
        }, 5000);
        assert.ok(fake.messages.some((m) => m.message === 'Operation payload updated.'));
    });

    it('discards a multi-selection after a modal confirmation', async () => {
        const extra = (await command('offlineSync.enqueueSample', { count: 2, entityPrefix: 'discard' })) as EnqueueResult[];
        const [pending] = await untilGroups([['Pending', '7']]);
        const children = await rows(pending);
        const selected = children.filter((r) => extra.some((e) => e.id === r.id));
        assert.equal(selected.length, 2);
        fake.answers.push(undefined); // first time: the user cancels the modal
        assert.equal(await command('offlineSync.discard', selected[0], selected), 0);
        fake.answers.push('Discard');
        assert.equal(await command('offlineSync.discard', selected[0], selected), 2);
        await untilBar('$(circle-slash) 5');
        await untilGroups([['Pending', '5']]);
    });

    it('syncs all five on Go Online, with progress for a flush of more than 3', async () => {
        const appliedBefore = (await server.stats()).applied;
        const messagesBefore = fake.messages.length;
        await command('offlineSync.goOnline');
        await untilBar('$(check) Synced');
        await untilGroups([]);
        assert.equal(view.badge, undefined);
        assert.equal((await server.stats()).applied - appliedBefore, 5);
        const tooltip = bar()?.tooltip as { value: string } | undefined;
        assert.match(tooltip?.value ?? '', /Last synced: just now/);
        await until('a finished progress notification', () => fake.progress.some((p) => p.location === 15 && p.done), 5000);
        assert.deepEqual(fake.messages.slice(messagesBefore), [], 'a clean sync says nothing with errorsOnly');
    });

    it('shows the three waiting operations and the server error while the server is down', async () => {
        await server.setFaults({ unavailable: true });
        await command('offlineSync.enqueueSample', { count: 3, entityPrefix: 'down' });
        // A server answering 503 to everything is down: the sidecar reports it unreachable (docs/architecture.md).
        await until('3 waiting, unreachable, with the server error', () => {
            const tooltip = (bar()?.tooltip as { value?: string } | undefined)?.value ?? '';
            return bar()?.text === '$(debug-disconnect) 3' && /unreachable/i.test(tooltip) && /Last error: .*503/.test(tooltip);
        });
        await untilGroups([['Pending', '3']]);
        assert.deepEqual(view.badge, { value: 3, tooltip: '3 operations not yet synced' });
    });

    it('exports the waiting operations through the save dialog', async () => {
        const target = path.join(dir, 'export.json');
        fake.answers.push(fake.module.Uri.file(target));
        const count = await command('offlineSync.exportQueue');
        assert.equal(count, 3);
        const exported = JSON.parse(readFileSync(target, 'utf8')) as { format: string; operations: { entityId: string; payload: unknown }[] };
        assert.equal(exported.format, 'offline-sidecar-export');
        assert.deepEqual(exported.operations.map((o) => o.entityId), ['down-1', 'down-2', 'down-3']);
        assert.ok(exported.operations.every((o) => o.payload !== undefined));
    });

    it('syncs them when the server is back', async () => {
        const appliedBefore = (await server.stats()).applied;
        await server.setFaults({ unavailable: false });
        await command('offlineSync.syncNow');
        await untilBar('$(check) Synced', 60_000);
        assert.equal((await server.stats()).applied - appliedBefore, 3);
        await untilGroups([]);
    });

    it('marks a failing operation failed (warning) and a Retry from the tree gets it through', async () => {
        fake.setSetting('offlineSync.maxAttempts', 1);
        await server.setFaults({ failRate: 1 });
        const [queued] = (await command('offlineSync.enqueueSample', { count: 1, entityPrefix: 'retry' })) as EnqueueResult[];
        await untilBar('$(warning) 1', 60_000);
        assert.equal(bar()?.backgroundColor?.id, 'statusBarItem.warningBackground');
        await until('one "Sync failed" notification', () => fake.messages.some((m) => m.message === 'Sync failed for 1 operation.'));
        const failedNotice = fake.messages.find((m) => m.message === 'Sync failed for 1 operation.');
        assert.deepEqual(failedNotice?.items, ['Retry', 'View Details']);

        const [failedGroup] = await untilGroups([['Failed', '1']]);
        const [row] = await rows(failedGroup);
        assert.equal(row?.id, queued?.id);
        assert.equal(row?.kind === 'operation' && row.contextValue, 'operation.failed');

        // Show Details: the whole operation, with payload and attempt history, as read-only JSON.
        const details = JSON.parse(await documentText(`/${queued?.id}/details.json`)) as {
            operation: { id: string; status: string; payload: unknown };
            attempts: { outcome: string }[];
        };
        assert.equal(details.operation.status, 'failed');
        assert.equal((details.operation.payload as { title?: string }).title, 'Demo document 1');
        assert.ok(details.attempts.length >= 1, 'attempt history included');

        await server.setFaults({ failRate: 0 });
        const retried = await command('offlineSync.retry', row, [row]);
        assert.equal(retried, 1);
        await untilBar('$(check) Synced', 60_000);
        await untilGroups([]);
    });

    it('resolves a conflict: diff of server ↔ mine, then Take Server', async () => {
        fake.setSetting('offlineSync.maxAttempts', 5);
        const mine = await api.enqueue({ type: 'document.put.v1', entityId: 'demo-1', payload: { title: 'mine' }, expectedVersion: 0 });
        await untilBar('$(warning) 1', 30_000);
        await until('the conflict notification', () => fake.messages.some((m) => m.message === 'Sync complete. 1 conflict detected.'));
        assert.deepEqual(fake.messages.find((m) => m.message === 'Sync complete. 1 conflict detected.')?.items, ['Resolve']);
        const [conflicts] = await untilGroups([['Conflicts', '1']]);
        const [row] = await rows(conflicts);
        assert.equal(row?.id, mine.id);
        assert.equal(row?.kind === 'operation' && row.contextValue, 'operation.conflict');

        assert.deepEqual(JSON.parse(await documentText(`/${mine.id}/local.json`)), { title: 'mine' });
        const server = JSON.parse(await documentText(`/${mine.id}/server.json`)) as { title?: string };
        assert.equal(server.title, 'edited offline', "the server's version of demo-1 (edited before it synced)");

        fake.answers.push({ resolution: 'takeServer' });
        const resolution = await command('offlineSync.resolveConflict', row);
        assert.equal(resolution, 'takeServer');
        const diff = fake.executed.find((e) => e.command === 'vscode.diff');
        assert.ok(diff, 'a diff editor was opened');
        const [left, right] = diff.args as { path: string }[];
        assert.equal(left?.path, `/${mine.id}/server.json`);
        assert.equal(right?.path, `/${mine.id}/local.json`);
        await untilBar('$(check) Synced', 30_000);
        await untilGroups([]);
    });

    it('asks to sign in when the token is gone, once, and syncs after Sign In', async () => {
        fake.answers.push('Keep Queue');
        await command('offlineSync.signOut');
        await until('the signed-in context key to clear', () => fake.context.get('offlineSync.signedIn') === false);
        const before = fake.messages.length;
        await command('offlineSync.enqueueSample', { count: 2, entityPrefix: 'auth' });
        await untilBar('$(key) 2', 30_000);
        await until('the sign-in prompt', () => fake.messages.slice(before).some((m) => m.items.includes('Sign In')));
        assert.match(fake.messages.slice(before).find((m) => m.items.includes('Sign In'))?.message ?? '', /^Sign in to sync/);
        // "Only one" has no event to await. The engine pauses at the first refusal until new credentials come, so
        // another authRequired could only come from a request already under way to the local server, refused
        // within milliseconds of the first; a second is ample on a loaded machine.
        await new Promise((r) => setTimeout(r, 1000));
        assert.equal(fake.messages.slice(before).filter((m) => m.items.includes('Sign In')).length, 1, 'one prompt, not one per attempt');
        assert.equal(await harness.context.secrets.get('offlineSync.token'), undefined);

        fake.answers.push(Token);
        assert.equal(await command('offlineSync.signIn'), true);
        assert.equal(await harness.context.secrets.get('offlineSync.token'), Token, 'the token lives in SecretStorage');
        await command('offlineSync.syncNow');
        await untilBar('$(check) Synced', 60_000);
    });

    it('restarts a crashed sidecar (client restart policy) and shows it in the status bar', async () => {
        const [pid] = sidecarChildren();
        assert.ok(pid);
        process.kill(pid, 'SIGKILL');
        await until('the status bar to notice', () => bar()?.text !== '$(check) Synced', 10_000);
        await until('a new sidecar', () => sidecarChildren().some((p) => p !== pid), 30_000);
        await untilBar('$(check) Synced', 30_000);
        assert.equal(fake.context.get('offlineSync.sidecarState'), 'running');
        const log = fake.logs.find((l) => l.name === 'Offline Sync');
        assert.ok(log?.lines.some((l) => l.includes('stopped unexpectedly')));
        // The queue survived in the store: the synced operations are still listed as succeeded.
        const succeeded = await api.listOperations({ statuses: ['succeeded'] });
        assert.ok(succeeded.total >= 11, `succeeded ${succeeded.total}`);
    });

    it('stops the sidecar on deactivate (shutdown/exit, no lingering process)', async () => {
        const before = sidecarChildren();
        assert.equal(before.length, 1);
        await harness.deactivate();
        await until('the sidecar to exit', () => sidecarChildren().length === 0, 5000);
    });
});

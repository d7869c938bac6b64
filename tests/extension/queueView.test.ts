/**
 * The queue tree's glue with a scripted sidecar connection: paging through listOperations (never the whole
 * queue), "Load more…", the debounced refresh on queueChanged and the view badge.
 */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import type { ListOperationsParams, Operation, OperationStatus, QueueCounts, SyncStatus } from '../../extension/src/protocol';
import { counts, operation, status } from './support/fixtures';
import { createFakeVscode, EventEmitter, FakeLog, installFakeVscode } from './support/fakeVscode';

const fake = createFakeVscode();
const uninstall = installFakeVscode(fake);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { QueueTreeProvider, createQueueView, QueueRefreshDebounceMs } = require('../../extension/src/queueView') as typeof import('../../extension/src/queueView');
type Provider = InstanceType<typeof QueueTreeProvider>;

/** A stand-in for Ctx: the events the view listens to and a client that pages an in-memory queue. */
class ScriptedCtx {
    readonly queue = new EventEmitter<QueueCounts>();
    readonly statusEmitter = new EventEmitter<SyncStatus>();
    readonly state = new EventEmitter<string>();
    readonly onDidChangeQueue = this.queue.event;
    readonly onDidChangeStatus = this.statusEmitter.event;
    readonly onDidChangeSidecarState = this.state.event;
    readonly log = new FakeLog('test');
    readonly requests: { method: string; params: ListOperationsParams }[] = [];
    operations: Operation[] = [];

    async client() {
        return {
            sendRequest: async (type: { method: string }, params: ListOperationsParams) => {
                this.requests.push({ method: type.method, params });
                const matching = this.operations.filter((o) => !params.statuses || params.statuses.includes(o.status));
                const start = params.cursor ? Number(params.cursor) : 0;
                const limit = params.limit ?? 100;
                const items = matching.slice(start, start + limit).map(({ payload: _payload, ...rest }) => rest);
                const end = start + items.length;
                return { items, nextCursor: end < matching.length ? String(end) : null, total: matching.length };
            },
        };
    }
}

function ops(n: number, s: OperationStatus): Operation[] {
    return Array.from({ length: n }, (_, i) => operation({ id: `${s}-${i}`, status: s, entityId: `demo-${i}` }));
}

describe('queue view', () => {
    let ctx: ScriptedCtx;
    let provider: Provider;
    let changes: number;

    beforeEach(() => {
        ctx = new ScriptedCtx();
        provider = new QueueTreeProvider(ctx as never);
        changes = 0;
        provider.onDidChangeTreeData(() => changes++);
    });

    after(() => uninstall());

    it('shows groups from the first status and pages children 100 at a time with "Load more…"', async () => {
        ctx.operations = [...ops(250, 'pending'), ...ops(2, 'conflict')];
        ctx.statusEmitter.fire(status({ counts: counts({ pending: 250, conflict: 2 }) }));
        const groups = await provider.getChildren();
        assert.deepEqual(groups.map((g) => g.kind === 'group' && g.label), ['Conflicts', 'Pending']);
        const pending = groups[1];
        assert.ok(pending);

        const first = await provider.getChildren(pending);
        assert.equal(first.length, 101);
        assert.deepEqual(ctx.requests.map((r) => r.params), [{ statuses: ['pending'], limit: 100 }]);
        const more = first[100];
        assert.equal(more?.kind, 'loadMore');
        assert.equal(more?.description, '150 more');

        await provider.loadMore('pending');
        assert.deepEqual(ctx.requests[1]?.params, { statuses: ['pending'], cursor: '100', limit: 100 });
        await provider.loadMore('pending');
        const all = await provider.getChildren(pending);
        assert.equal(all.length, 250, 'every row once the last page came, and no "Load more…"');
        assert.equal(new Set(all.map((r) => r.id)).size, 250);
        assert.equal(ctx.requests.length, 3);
    });

    it('renders operation rows as tree items with id, status context and icon', async () => {
        ctx.operations = [operation({ id: 'op-1', status: 'failed', attempts: 3, lastError: { code: 'http.500', message: 'boom' } })];
        ctx.statusEmitter.fire(status({ counts: counts({ failed: 1 }) }));
        const [group] = await provider.getChildren();
        assert.ok(group);
        const groupItem = provider.getTreeItem(group) as unknown as { collapsibleState: number };
        assert.equal(groupItem.collapsibleState, 2, 'failed group starts expanded');
        const [row] = await provider.getChildren(group);
        assert.ok(row);
        const item = provider.getTreeItem(row) as unknown as { id: string; label: string; contextValue: string; iconPath: { id: string }; tooltip: { value: string } };
        assert.equal(item.id, 'op-1');
        assert.equal(item.label, 'document.put.v1');
        assert.equal(item.contextValue, 'operation.failed');
        assert.equal(item.iconPath.id, 'error');
        assert.match(item.tooltip.value, /boom/);
    });

    it('refreshes once per burst of queueChanged, and keeps the pages already loaded', async (t) => {
        // The debounce runs on node's mock clock: the burst is spread over time the test moves, and the redraw is due
        // exactly when the clock says, however slow the machine.
        t.mock.timers.enable({ apis: ['setTimeout'] });
        ctx.operations = ops(180, 'pending');
        ctx.statusEmitter.fire(status({ counts: counts({ pending: 180 }) }));
        const [group] = await provider.getChildren();
        assert.ok(group);
        await provider.getChildren(group);
        await provider.loadMore('pending');
        const changesBefore = changes;
        const requestsBefore = ctx.requests.length;

        for (let i = 0; i < 20; i++) {
            if (i > 0) {
                t.mock.timers.tick(5);
            }
            ctx.queue.fire(counts({ pending: 180 + i }));
        }
        assert.equal(changes, changesBefore, 'nothing redrawn inside the burst');
        t.mock.timers.tick(QueueRefreshDebounceMs - 1);
        assert.equal(changes, changesBefore, 'nothing redrawn before the burst has been quiet for the whole delay');
        t.mock.timers.tick(1);
        assert.equal(changes, changesBefore + 1, 'one redraw after it');
        t.mock.timers.tick(QueueRefreshDebounceMs * 10);
        assert.equal(changes, changesBefore + 1, 'and only one');
        assert.equal(ctx.requests.length, requestsBefore, 'the tree asks again only when VS Code redraws');

        const [refreshed] = await provider.getChildren();
        assert.equal(refreshed?.kind === 'group' && refreshed.description, '199');
        assert.ok(refreshed);
        await provider.getChildren(refreshed);
        assert.deepEqual(ctx.requests.at(-1)?.params, { statuses: ['pending'], limit: 180 });
    });

    it('ignores later statusChanged counts (only queueChanged refreshes) and clears when the sidecar stops', async () => {
        ctx.statusEmitter.fire(status({ counts: counts({ pending: 1 }) }));
        const afterFirst = changes;
        ctx.statusEmitter.fire(status({ counts: counts({ pending: 5 }) }));
        assert.equal(changes, afterFirst);
        ctx.state.fire('stopped');
        assert.deepEqual(await provider.getChildren(), []);
    });

    it('badges the view with pending + failed + conflicts and tracks the empty-queue context key', async (t) => {
        t.mock.timers.enable({ apis: ['setTimeout'] });
        const { view, disposable } = createQueueView(provider);
        ctx.statusEmitter.fire(status({ counts: counts({ pending: 2, failed: 1, conflict: 1, syncing: 3 }) }));
        assert.deepEqual((view as unknown as { badge: unknown }).badge, { value: 4, tooltip: '4 operations not yet synced' });
        assert.equal(fake.context.get('offlineSync.queueEmpty'), false);
        ctx.queue.fire(counts());
        t.mock.timers.tick(QueueRefreshDebounceMs);
        assert.equal((view as unknown as { badge: unknown }).badge, undefined);
        assert.equal(fake.context.get('offlineSync.queueEmpty'), true);
        disposable.dispose();
    });

    it('passes the multi-selection to commands, operations only', () => {
        const a = { kind: 'operation', id: 'a' };
        const b = { kind: 'operation', id: 'b' };
        const group = { kind: 'group', id: 'group:pending' };
        assert.deepEqual(QueueTreeProvider.selectedOperations(a, [a, b, group]).map((r) => r.id), ['a', 'b']);
        assert.deepEqual(QueueTreeProvider.selectedOperations(a, undefined).map((r) => r.id), ['a']);
        assert.deepEqual(QueueTreeProvider.selectedOperations(group, []), []);
    });
});

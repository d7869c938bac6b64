import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommandIds } from '../../extension/src/commandIds';
import { groupChildren, groupRows, operationRow, queueBadge } from '../../extension/src/viewModel/queueTreeModel';
import { counts, operation } from './support/fixtures';

const now = new Date('2026-11-22T10:05:00.000Z');

describe('queue tree model', () => {
    it('orders groups Conflicts, Failed, Syncing, Pending with counts and hides empty ones', () => {
        const rows = groupRows(counts({ pending: 4, syncing: 0, failed: 2, conflict: 1, succeeded: 99 }));
        assert.deepEqual(rows.map((r) => [r.label, r.description]), [['Conflicts', '1'], ['Failed', '2'], ['Pending', '4']]);
        assert.deepEqual(rows.map((r) => r.contextValue), ['group.conflict', 'group.failed', 'group.pending']);
        assert.deepEqual(groupRows(counts({ succeeded: 5 })), []);
    });

    it('labels an operation with its type and describes entity · age · attempts', () => {
        const row = operationRow(operation({ attempts: 2, status: 'failed', lastError: { code: 'http.500', message: 'boom' } }), now);
        assert.equal(row.id, '01JOPERATION0000000000000A');
        assert.equal(row.label, 'document.put.v1');
        assert.equal(row.description, 'demo-1 · 5m · 2 attempts');
        assert.equal(row.contextValue, 'operation.failed');
        assert.equal(row.icon, 'error');
        assert.match(row.tooltip, /Last error: boom \(http\\\.500\)/);
    });

    it('gives each status its own icon and context value', () => {
        const seen = new Set<string>();
        for (const s of ['pending', 'syncing', 'failed', 'conflict'] as const) {
            const row = operationRow(operation({ status: s }), now);
            assert.equal(row.contextValue, `operation.${s}`);
            seen.add(row.icon);
        }
        assert.equal(seen.size, 4);
    });

    it('shows the expiry of a waiting operation in its description and tooltip, and the trace id in the tooltip', () => {
        const waiting = operationRow(operation({ expiresAt: '2026-11-22T12:05:00.000Z', clientTraceId: 'support-42' }), now);
        assert.equal(waiting.description, 'demo-1 · 5m · 0 attempts · expires in 2 hours');
        assert.match(waiting.tooltip, /^Expires in 2 hours \(2026\\-11\\-22T12:05:00\\\.000Z\): not sent after that$/m);
        assert.match(waiting.tooltip, /^Trace id: support\\-42$/m);
        const expired = operationRow(operation({
            status: 'failed', expiresAt: '2026-11-22T10:02:00.000Z', lastError: { code: 'expired', message: 'Expired before it could be delivered' },
        }), now);
        assert.equal(expired.description, 'demo-1 · 5m · 0 attempts');
        assert.match(expired.tooltip, /^Expired 3 minutes ago/m);
        assert.match(expired.tooltip, /\(expired\)/);
    });

    it('lists the attachments of an operation in its tooltip', () => {
        const sha256 = 'a'.repeat(64);
        const row = operationRow(operation({ attachments: [
            { sha256, name: 'scan.pdf', mediaType: 'application/pdf', size: 2_621_440 },
            { sha256, name: 'note.txt', mediaType: null, size: 12 },
        ] }), now);
        assert.match(row.tooltip, /Attachments: scan\\\.pdf \(2\.5 MB\), note\\\.txt \(12 bytes\)/);
        assert.doesNotMatch(operationRow(operation(), now).tooltip, /Attachments/);
    });

    it('handles operations without entity and a single attempt', () => {
        assert.equal(operationRow(operation({ entityId: null, attempts: 1 }), now).description, '— · 5m · 1 attempt');
    });

    it('adds "Load more…" only while the server has another page, with what is left', () => {
        const loaded = [operation({ id: 'a' }), operation({ id: 'b' })];
        const more = groupChildren('pending', loaded, { nextCursor: 'c1', total: 250 }, now);
        assert.equal(more.length, 3);
        const last = more[2];
        assert.equal(last?.kind, 'loadMore');
        assert.equal(last?.kind === 'loadMore' && last.command, CommandIds.loadMore);
        assert.equal(last?.description, '248 more');
        const done = groupChildren('pending', loaded, { nextCursor: null, total: 2 }, now);
        assert.deepEqual(done.map((r) => r.kind), ['operation', 'operation']);
    });

    it('badges pending + failed + conflicts, and nothing when all is synced', () => {
        assert.deepEqual(queueBadge(counts({ pending: 3, failed: 1, conflict: 2, syncing: 10, succeeded: 4 })), {
            value: 6,
            tooltip: '6 operations not yet synced',
        });
        assert.equal(queueBadge(counts({ syncing: 2, succeeded: 1 })), undefined);
    });
});

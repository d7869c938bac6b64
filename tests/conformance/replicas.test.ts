/**
 * scripts/replicas.sh: two real sync-server replicas on one store behind real haproxy. The balancer spreads requests,
 * keeps /admin per replica, and sends a request a replica never answered (dropped after commit, or killed) to the
 * other one, where idempotency turns the resend into a duplicate. Needs dist/sync-server (npm run build) and haproxy
 * (the script installs it when missing).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, requireBuilt, syncServerBinary } from '../extension/support/paths';
import { SyncClient } from './suite/http';

const run = promisify(execFile);
const token = 'replicas-test';

describe('scripts/replicas.sh', () => {
    let dir: string;
    let state: Map<string, string>;
    let client: SyncClient;
    const env = () => ({ ...process.env, REPLICAS_DIR: path.join(dir, 'set') });
    const script = (...args: string[]) => run('bash', [path.join(repoRoot, 'scripts', 'replicas.sh'), ...args], { env: env() });
    const replica = (i: number) => state.get(`replica_${i}_url`)!;
    const admin = async (i: number, method: string, route: string, body?: unknown): Promise<Record<string, number>> => {
        const response = await fetch(`${replica(i)}/admin/${route}`, {
            method,
            headers: { 'content-type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        assert.equal(response.status, 200, `${method} /admin/${route} on replica ${i}`);
        return (await response.json()) as Record<string, number>;
    };

    before(async () => {
        requireBuilt(syncServerBinary);
        dir = await mkdtemp(path.join(tmpdir(), 'replicas-'));
        await script('start', '2', '--', '--data-dir', path.join(dir, 'data'), '--token', token);
        state = new Map(readFileSync(path.join(dir, 'set', 'state'), 'utf8').trim().split('\n').map((l) => l.split('=', 2) as [string, string]));
        client = new SyncClient(state.get('balancer')!, token);
    });

    after(async () => {
        await script('stop').catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
    });

    it('sends consecutive requests to both replicas and keeps /admin per replica', async () => {
        await admin(1, 'POST', 'reset-stats');
        await admin(2, 'POST', 'reset-stats');
        for (let i = 0; i < 10; i++) {
            assert.equal((await client.changes('spread')).status, 200);
        }
        const counts = [(await admin(1, 'GET', 'stats')).changesRequests, (await admin(2, 'GET', 'stats')).changesRequests];
        assert.deepEqual(counts, [5, 5], 'changes requests served by replica 1 and 2');
        assert.equal((await client.request('GET', '/admin/stats')).status, 403, '/admin through the balancer');
    });

    it('sends a batch whose answer a replica dropped after committing it to the other replica, which answers duplicate', async () => {
        await admin(1, 'POST', 'faults', { dropAfterApplyRate: 1 });
        try {
            const results = [];
            for (let i = 0; i < 6; i++) {
                results.push(...(await client.apply('dropped', { commandId: 'c', idempotencyKey: `k${i}`, type: 'document.put.v1', entityId: 'doc', payload: { i } })));
            }
            assert.deepEqual(results.map((r) => r.version), [1, 2, 3, 4, 5, 6], 'each batch applied once');
            assert.ok(results.every((r) => r.status === 'applied' || r.status === 'duplicate'), JSON.stringify(results));
            const dropped = (await admin(1, 'GET', 'stats')).droppedAfterApply;
            assert.ok(dropped >= 1, 'replica 1 dropped answers');
            assert.equal(results.filter((r) => r.status === 'duplicate').length, dropped, 'one duplicate (from replica 2) per answer replica 1 dropped');
            assert.deepEqual((await client.readAll('dropped')).rows.map((r) => r.version), [1, 2, 3, 4, 5, 6], 'one change row per batch');
        } finally {
            await admin(1, 'DELETE', 'faults');
        }
    });

    it('answers every request while a replica is killed with kill -9, and takes it back once restarted', async () => {
        await script('kill', '1');
        for (let i = 0; i < 6; i++) {
            const [result] = await client.apply('killed', { commandId: 'c', idempotencyKey: `k${i}`, type: 'document.put.v1', entityId: 'doc', payload: { i } });
            assert.deepEqual([result!.status, result!.version], ['applied', i + 1]);
        }
        await script('restart', '1');
        const status = (await script('status')).stdout;
        assert.match(status, /^replica_1_pid \d+ alive$/m);
        assert.equal((await fetch(`${replica(1)}/sync/health`)).status, 200, 'replica 1 answers on its old port');
    });
});

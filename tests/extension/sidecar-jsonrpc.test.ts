/**
 * The REAL sidecar driven by a real vscode-jsonrpc client over its stdio, using the declarations of
 * extension/src/protocol.ts: initialize → initialized → enqueue ×3 → listOperations → getStatus → shutdown → exit.
 */
import assert from 'node:assert/strict';
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createMessageConnection, MessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import {
    EnqueueRequest,
    ExitNotification,
    GetOperationRequest,
    GetStatusRequest,
    InitializedNotification,
    InitializeRequest,
    ListOperationsRequest,
    LogMessageNotification,
    QueueChangedNotification,
    QueueCounts,
    ShutdownRequest,
    StatusChangedNotification,
    SyncStatus,
    WorkDoneProgressCreateRequest,
} from '../../extension/src/protocol';
import { sidecarCommand } from './support/sidecarBinary';
import { whenEmitted } from './support/whenEmitted';

/** Says "a notification arrived"; {@link until} looks again then instead of polling. */
const arrivals = new EventEmitter();

/** The first value `probe` gives: now, or after the notification that brings it; rejects after `ms`. */
function until<T>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> {
    return whenEmitted(arrivals, 'notification', what, probe, ms);
}

describe('sidecar over JSON-RPC (real process)', () => {
    let dir: string;
    let proc: ChildProcessWithoutNullStreams;
    let connection: MessageConnection;
    let exited: Promise<number | null>;
    let stderr = '';
    const statuses: SyncStatus[] = [];
    const queueChanges: QueueCounts[] = [];
    const ids: string[] = [];

    before(async () => {
        dir = await mkdtemp(path.join(tmpdir(), 'offline-sync-jsonrpc-'));
        const { command, args } = sidecarCommand();
        proc = spawn(command, [...args, 'serve', '--stdio'], { stdio: 'pipe' });
        proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
        connection = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
        connection.onNotification(StatusChangedNotification.type, (s: SyncStatus) => {
            statuses.push(s);
            arrivals.emit('notification');
        });
        connection.onNotification(QueueChangedNotification.type, (p: { counts: QueueCounts }) => {
            queueChanges.push(p.counts);
            arrivals.emit('notification');
        });
        connection.onNotification(LogMessageNotification.type, () => undefined);
        connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
        connection.listen();
    });

    after(async () => {
        connection.dispose();
        if (proc.exitCode === null && proc.signalCode === null) {
            proc.kill('SIGKILL');
        }
        await rm(dir, { recursive: true, force: true });
    });

    it('initializes and announces protocol version 1', async () => {
        const result = await connection.sendRequest(InitializeRequest.type, {
            processId: process.pid,
            rootUri: null,
            capabilities: { window: { workDoneProgress: true } },
            initializationOptions: { dataDir: dir, workspaceId: 'ws-jsonrpc-test', serverUrl: null, settings: { syncMode: 'manual' } },
        });
        assert.equal(result.serverInfo?.name, 'offline-sidecar');
        assert.match(result.serverInfo?.version ?? '', /^\d+\.\d+\.\d+/);
        assert.deepEqual((result.capabilities.experimental as { offlineSync?: unknown } | undefined)?.offlineSync, { protocolVersion: 1 });
    });

    it('sends a status once after initialized', async () => {
        await connection.sendNotification(InitializedNotification.type, {});
        const first = await until('statusChanged', () => statuses[0]);
        assert.deepEqual(first.counts, { pending: 0, syncing: 0, failed: 0, conflict: 0, succeeded: 0 });
        assert.equal(first.serverUrl, null);
    });

    it('enqueues three operations, each answered after commit', async () => {
        for (let n = 1; n <= 3; n++) {
            const result = await connection.sendRequest(EnqueueRequest.type, {
                type: 'document.put.v1',
                entityId: `demo-${n}`,
                payload: { title: `Demo ${n}` },
            });
            assert.equal(result.status, 'pending');
            assert.equal(result.coalesced, false);
            ids.push(result.id);
        }
        assert.equal(new Set(ids).size, 3);
    });

    it('lists them in delivery order without payloads, and returns one with its payload', async () => {
        const page = await connection.sendRequest(ListOperationsRequest.type, { statuses: ['pending'], limit: 2 });
        assert.equal(page.total, 3);
        assert.deepEqual(page.items.map((o) => o.id), ids.slice(0, 2));
        assert.ok(page.items.every((o) => o.payload === undefined && o.type === 'document.put.v1'));
        assert.notEqual(page.nextCursor, null);
        const rest = await connection.sendRequest(ListOperationsRequest.type, { statuses: ['pending'], limit: 2, cursor: page.nextCursor ?? undefined });
        assert.deepEqual(rest.items.map((o) => o.id), ids.slice(2));
        assert.equal(rest.nextCursor, null);

        const details = await connection.sendRequest(GetOperationRequest.type, { id: ids[1] ?? '' });
        assert.deepEqual(details.operation.payload, { title: 'Demo 2' });
        assert.equal(details.operation.entityId, 'demo-2');
    });

    it('reports the counts in getStatus and in queueChanged / statusChanged notifications', async () => {
        const status = await connection.sendRequest(GetStatusRequest.type);
        assert.equal(status.counts.pending, 3);
        await until('queueChanged with 3 pending', () => queueChanges.find((c) => c.pending === 3));
        await until('statusChanged with 3 pending', () => statuses.find((s) => s.counts.pending === 3));
    });

    it('names the bad field of an invalid request (-32602)', async () => {
        await assert.rejects(
            connection.sendRequest(EnqueueRequest.type, { type: 'Not A Type', payload: {} }),
            (e: unknown) => e instanceof ResponseError && e.code === -32602 && /type/.test(e.message),
        );
    });

    it('shuts down and exits with code 0', async () => {
        const result = await connection.sendRequest(ShutdownRequest.type);
        assert.equal(result, null);
        await connection.sendNotification(ExitNotification.type);
        const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
        assert.equal(code, 0, `sidecar stderr:\n${stderr.slice(-2000)}`);
    });
});

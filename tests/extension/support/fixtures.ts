/** Protocol values for tests, typed by the real declarations so a contract change breaks them at compile time. */
import type { Operation, QueueCounts, SyncStatus } from '../../../extension/src/protocol';

export function counts(partial: Partial<QueueCounts> = {}): QueueCounts {
    return { pending: 0, syncing: 0, failed: 0, conflict: 0, succeeded: 0, ...partial };
}

export function status(partial: Partial<SyncStatus> = {}): SyncStatus {
    return {
        connectivity: 'online',
        syncing: false,
        counts: counts(),
        lastSyncedAt: null,
        lastError: null,
        serverUrl: 'http://127.0.0.1:5080',
        workOffline: false,
        isLeader: true,
        lastPulledAt: null,
        cache: { entities: 0, bytes: 0, maxBytes: 256 * 1024 * 1024 },
        account: null,
        clockSkewMs: null,
        lastSyncedAgoMs: null,
        storage: { freeBytes: 80 * 1024 ** 3, level: 'ok', warningBytes: 500 * 1024 ** 2, criticalBytes: 50 * 1024 ** 2 },
        ...partial,
    };
}

export function operation(partial: Partial<Operation> = {}): Operation {
    return {
        id: '01JOPERATION0000000000000A',
        workspaceId: 'ws-test',
        type: 'document.put.v1',
        entityId: 'demo-1',
        payloadBytes: 42,
        idempotencyKey: 'idem-1',
        dedupKey: null,
        expectedVersion: null,
        priority: 'normal',
        status: 'pending',
        attempts: 0,
        nextAttemptAt: null,
        lastError: null,
        createdAt: '2026-11-22T10:00:00.000Z',
        serverCreatedAt: null,
        updatedAt: '2026-11-22T10:00:00.000Z',
        expiresAt: null,
        clientTraceId: null,
        attachments: [],
        ...partial,
    };
}

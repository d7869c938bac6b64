import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StorageLevel, StorageStatus } from '../../extension/src/protocol';
import { formatBytes } from '../../extension/src/viewModel/byteSize';
import {
    decideStorageNotification,
    initialStorageNotificationState,
    StorageNotificationState,
} from '../../extension/src/viewModel/storageNotificationModel';

const MB = 1024 * 1024;

function storage(level: StorageLevel, freeBytes = 300 * MB): StorageStatus {
    return { freeBytes, level, warningBytes: 500 * MB, criticalBytes: 50 * MB };
}

/** Feeds statuses in order; returns the severities shown. */
function shown(levels: (StorageStatus | null)[]): string[] {
    let state: StorageNotificationState = initialStorageNotificationState;
    const out: string[] = [];
    for (const level of levels) {
        const step = decideStorageNotification(level, state);
        state = step.state;
        if (step.notification) {
            out.push(step.notification.severity);
        }
    }
    return out;
}

describe('storageNotificationModel', () => {
    it('tells once when space runs low, however many statuses follow, and offers Export Queue and Open Settings', () => {
        assert.deepEqual(shown([storage('ok'), storage('low'), storage('low', 290 * MB), null, storage('low', 280 * MB)]), ['warning']);
        const first = decideStorageNotification(storage('low'), initialStorageNotificationState).notification;
        assert.deepEqual(first?.actions, ['exportQueue', 'openSettings']);
        assert.match(first?.message ?? '', /Low disk space: 300 MB free.*Under 50 MB new changes will be refused/);
    });

    it('tells again when it gets critical, and again only after space came back in between', () => {
        assert.deepEqual(shown([storage('low'), storage('critical', 20 * MB), storage('low'), storage('critical', 20 * MB)]), ['warning', 'error']);
        assert.deepEqual(shown([storage('low'), storage('ok'), storage('low')]), ['warning', 'warning']);
        assert.deepEqual(shown([storage('critical', 1 * MB)]), ['error']);
    });

    it('formats sizes the way the status bar does', () => {
        assert.deepEqual([formatBytes(512), formatBytes(480 * 1024), formatBytes(3.4 * MB), formatBytes(12 * 1024 * MB)], ['512 bytes', '480 KB', '3.4 MB', '12 GB']);
    });
});

/**
 * Whether the free space of the sidecar's data directory deserves a notification. Pure, so "told once per worsening,
 * again only after space came back" is unit-tested here; the glue is storageNotifications.ts.
 */
import type { StorageLevel, StorageStatus } from '../protocol';
import { formatBytes } from './byteSize';

export type StorageAction = 'exportQueue' | 'openSettings';

export const storageActionLabels: Record<StorageAction, string> = {
    exportQueue: 'Export Queue',
    openSettings: 'Open Settings',
};

export interface StorageNotification {
    severity: 'warning' | 'error';
    message: string;
    actions: StorageAction[];
}

/** The worst level the user was already told about since space was last fine. */
export interface StorageNotificationState { told: StorageLevel }

export const initialStorageNotificationState: StorageNotificationState = { told: 'ok' };

const rank: Record<StorageLevel, number> = { ok: 0, low: 1, critical: 2 };

export function decideStorageNotification(
    storage: StorageStatus | null,
    state: StorageNotificationState,
): { state: StorageNotificationState; notification: StorageNotification | undefined } {
    if (storage === null) {
        return { state, notification: undefined };
    }
    if (storage.level === 'ok') {
        return { state: initialStorageNotificationState, notification: undefined };
    }
    if (rank[storage.level] <= rank[state.told]) {
        return { state, notification: undefined };
    }
    const free = formatBytes(storage.freeBytes);
    const notification: StorageNotification = storage.level === 'critical'
        ? {
            severity: 'error',
            message: `Disk almost full: ${free} free where Offline Sync keeps its queue. New changes are refused until space is freed; `
                + 'what is queued is kept and still syncs. Export the queue to keep a copy elsewhere.',
            actions: ['exportQueue', 'openSettings'],
        }
        : {
            severity: 'warning',
            message: `Low disk space: ${free} free where Offline Sync keeps its queue. `
                + `Under ${formatBytes(storage.criticalBytes)} new changes will be refused.`,
            actions: ['exportQueue', 'openSettings'],
        };
    return { state: { told: storage.level }, notification };
}

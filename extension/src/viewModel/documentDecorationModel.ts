/**
 * A document's sync state → its explorer decoration (badge, colour, tooltip). Pure; documentDecorations.ts turns it
 * into a vscode.FileDecoration. The colours are contributed by package.json (`contributes.colors`), so themes can
 * change them; their defaults point at the matching git decoration colours.
 */
import type { CacheState } from '../protocol';

export interface DocumentDecorationModel {
    /** One or two characters. */
    badge: string;
    /** A theme colour id contributed in package.json. */
    color: string;
    tooltip: string;
    /** Shown on the folders above too: these need the user. */
    propagate: boolean;
}

export const DocumentDecorationColors = {
    pending: 'offlineSync.pendingDocumentForeground',
    syncing: 'offlineSync.syncingDocumentForeground',
    failed: 'offlineSync.failedDocumentForeground',
    conflict: 'offlineSync.conflictDocumentForeground',
    localOnly: 'offlineSync.localOnlyDocumentForeground',
} as const;

const decorations: Record<Exclude<CacheState, 'synced'>, DocumentDecorationModel> = {
    pending: {
        badge: 'P',
        color: DocumentDecorationColors.pending,
        tooltip: 'Offline Sync: changed here, waiting to sync',
        propagate: false,
    },
    syncing: {
        badge: 'S',
        color: DocumentDecorationColors.syncing,
        tooltip: 'Offline Sync: being sent to the server',
        propagate: false,
    },
    failed: {
        badge: '!',
        color: DocumentDecorationColors.failed,
        tooltip: 'Offline Sync: sync failed (retry or discard it in the Sync Queue)',
        propagate: true,
    },
    conflict: {
        badge: 'C',
        color: DocumentDecorationColors.conflict,
        tooltip: "Offline Sync: in conflict with the server's version (Resolve Conflict…)",
        propagate: true,
    },
    localOnly: {
        badge: 'L',
        color: DocumentDecorationColors.localOnly,
        tooltip: 'Offline Sync: never on the server (created here, not synced yet)',
        propagate: false,
    },
};

/** undefined for a synced document (or one without unfinished work): no decoration. */
export function documentDecoration(state: CacheState | undefined): DocumentDecorationModel | undefined {
    return state === undefined || state === 'synced' ? undefined : decorations[state];
}

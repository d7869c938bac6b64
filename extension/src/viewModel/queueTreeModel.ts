/**
 * Queue view rows as plain data: groups from counts, operation rows from a listOperations page, the
 * "Load more…" row and the view badge. Pure; queueView.ts turns these into vscode.TreeItems.
 */
import { CommandIds } from '../commandIds';
import type { Operation, OperationStatus, QueueCounts } from '../protocol';
import { escapeMarkdown } from './markdown';
import { formatAge, formatRelativeTime } from './relativeTime';
import { formatBytes } from './byteSize';

/** Page size of `offlineSync/listOperations` calls: the view never asks for the whole queue. */
export const QueuePageSize = 100;

export type GroupStatus = Extract<OperationStatus, 'conflict' | 'failed' | 'syncing' | 'pending'>;

export interface GroupRow {
    kind: 'group';
    id: string;
    status: GroupStatus;
    label: string;
    description: string;
    icon: string;
    contextValue: string;
}

export interface OperationRow {
    kind: 'operation';
    /** The operation id: stable across refreshes so selection and expansion survive. */
    id: string;
    label: string;
    description: string;
    /** Markdown. */
    tooltip: string;
    icon: string;
    contextValue: string;
}

export interface LoadMoreRow {
    kind: 'loadMore';
    id: string;
    status: GroupStatus;
    label: string;
    description: string;
    command: string;
}

export type QueueRow = GroupRow | OperationRow | LoadMoreRow;

const groupOrder: readonly { status: GroupStatus; label: string; icon: string }[] = [
    { status: 'conflict', label: 'Conflicts', icon: 'warning' },
    { status: 'failed', label: 'Failed', icon: 'error' },
    { status: 'syncing', label: 'Syncing', icon: 'sync' },
    { status: 'pending', label: 'Pending', icon: 'clock' },
];

/** Conflicts, Failed, Syncing, Pending; empty groups are hidden. */
export function groupRows(counts: QueueCounts): GroupRow[] {
    return groupOrder
        .filter((group) => counts[group.status] > 0)
        .map((group) => ({
            kind: 'group',
            id: `group:${group.status}`,
            status: group.status,
            label: group.label,
            description: String(counts[group.status]),
            icon: group.icon,
            contextValue: `group.${group.status}`,
        }));
}

const statusIcon: Record<OperationStatus, string> = {
    pending: 'circle-outline',
    syncing: 'sync~spin',
    succeeded: 'check',
    failed: 'error',
    conflict: 'warning',
};

export function operationRow(op: Operation, now: Date): OperationRow {
    const attempts = op.attempts === 1 ? '1 attempt' : `${op.attempts} attempts`;
    const unfinished = op.status === 'pending' || op.status === 'syncing';
    const expiry = op.expiresAt && unfinished ? `expires ${formatRelativeTime(op.expiresAt, now)}` : undefined;
    const description = [op.entityId ?? '—', formatAge(op.createdAt, now), attempts, ...(expiry ? [expiry] : [])].join(' · ');
    const tooltip: string[] = [
        `**${escapeMarkdown(op.type)}** — ${op.status}${op.priority === 'high' ? ' (high priority)' : ''}`,
        '',
        `Entity: ${op.entityId ? escapeMarkdown(op.entityId) : 'none'}`,
        '',
        `Queued ${formatRelativeTime(op.createdAt, now)} · ${attempts}`,
    ];
    if (op.nextAttemptAt && (op.status === 'pending' || op.status === 'failed')) {
        tooltip.push('', `Next attempt ${formatRelativeTime(op.nextAttemptAt, now)}`);
    }
    if (op.expiresAt) {
        const when = Date.parse(op.expiresAt) > now.getTime() ? 'Expires' : 'Expired';
        tooltip.push('', `${when} ${formatRelativeTime(op.expiresAt, now)} (${escapeMarkdown(op.expiresAt)}): not sent after that`);
    }
    if (op.clientTraceId) {
        tooltip.push('', `Trace id: ${escapeMarkdown(op.clientTraceId)}`);
    }
    if (op.lastError) {
        tooltip.push('', `Last error: ${escapeMarkdown(op.lastError.message)} (${escapeMarkdown(op.lastError.code)})`);
    }
    if (op.attachments.length > 0) {
        const files = op.attachments.map((a) => `${escapeMarkdown(a.name)} (${formatBytes(a.size)})`).join(', ');
        tooltip.push('', `Attachments: ${files}`);
    }
    tooltip.push('', `Id: ${escapeMarkdown(op.id)}`);
    return {
        kind: 'operation',
        id: op.id,
        label: op.type,
        description,
        tooltip: tooltip.join('\n'),
        icon: statusIcon[op.status],
        contextValue: `operation.${op.status}`,
    };
}

/** The rows under a group: what was loaded so far, then "Load more…" while the server has more. */
export function groupChildren(
    status: GroupStatus,
    loaded: readonly Operation[],
    page: { nextCursor: string | null; total: number },
    now: Date,
): (OperationRow | LoadMoreRow)[] {
    const rows: (OperationRow | LoadMoreRow)[] = loaded.map((op) => operationRow(op, now));
    if (page.nextCursor !== null) {
        const remaining = Math.max(0, page.total - loaded.length);
        rows.push({
            kind: 'loadMore',
            id: `loadMore:${status}`,
            status,
            label: 'Load more…',
            description: remaining > 0 ? `${remaining} more` : '',
            command: CommandIds.loadMore,
        });
    }
    return rows;
}

/** The activity-bar badge: everything that still has to reach the server or needs the user. */
export function queueBadge(counts: QueueCounts): { value: number; tooltip: string } | undefined {
    const value = counts.pending + counts.failed + counts.conflict;
    if (value === 0) {
        return undefined;
    }
    return { value, tooltip: `${value} operation${value === 1 ? '' : 's'} not yet synced` };
}

/**
 * SyncStatus (+ whether the sidecar process runs) → what the single status bar item shows. Pure: the glue in
 * statusBar.ts copies the result onto a StatusBarItem. The sync part is driven only by `offlineSync/statusChanged`.
 */
import { CommandIds } from '../commandIds';
import type { CacheStatus, Connectivity, StorageStatus, SyncStatus } from '../protocol';
import { formatBytes } from './byteSize';
import { commandLink, escapeMarkdown } from './markdown';
import { formatRelativeTime } from './relativeTime';

/** The sidecar process as the language client sees it. */
export type SidecarState = 'starting' | 'running' | 'stopped' | 'missing';

export type StatusBackground = 'warning' | 'error' | undefined;

export interface StatusBarModel {
    text: string;
    /** Markdown; every command it links is listed in `trustedCommands`. */
    tooltip: string;
    trustedCommands: string[];
    background: StatusBackground;
    accessibilityLabel: string;
}

export interface StatusBarInput {
    sidecar: SidecarState;
    status: SyncStatus | undefined;
    now: Date;
    /** Why the sidecar is not running, when known (e.g. "binary not found at …"). */
    sidecarProblem?: string;
    /** How long ago `status` arrived, on the monotonic clock (performance.now()); 0 when just now. */
    statusAgeMs?: number;
    /** `offlineSync.clock.skewWarningMinutes` in ms: a skew at least this large is shown. Default 2 minutes. */
    clockSkewWarningMs?: number;
}

const DefaultClockSkewWarningMs = 2 * 60_000;

const connectivityText: Record<Connectivity, string> = {
    online: 'Online',
    offline: 'Offline (no network)',
    unreachable: 'Server unreachable',
    workingOffline: 'Working offline (sync paused)',
    authRequired: 'Sign-in required',
    accessRevoked: 'Access revoked (queue kept)',
};

export function statusBarModel(input: StatusBarInput): StatusBarModel {
    const { sidecar, status } = input;
    if (sidecar === 'stopped' || sidecar === 'missing') {
        const problem = input.sidecarProblem ?? 'The Offline Sync sidecar is not running.';
        const links = [commandLink('Show Log', CommandIds.showLog)];
        if (sidecar === 'stopped') {
            links.push(commandLink('Restart Sidecar', CommandIds.restartSidecar));
        }
        return {
            text: '$(error) Offline Sync',
            tooltip: `**Offline Sync**\n\n${escapeMarkdown(problem)}\n\n${links.join(' · ')}`,
            trustedCommands: [CommandIds.showLog, CommandIds.restartSidecar],
            background: 'error',
            accessibilityLabel: `Offline Sync: sidecar not running. ${problem}`,
        };
    }
    if (status === undefined) {
        return {
            text: '$(loading~spin) Offline Sync',
            tooltip: '**Offline Sync**\n\nStarting the sidecar…',
            trustedCommands: [],
            background: undefined,
            accessibilityLabel: 'Offline Sync: starting',
        };
    }

    const { counts } = status;
    const needsAttention = counts.failed + counts.conflict;
    const waiting = counts.pending + counts.syncing;
    let text: string;
    let background: StatusBackground;
    let summary: string;
    if (status.connectivity === 'authRequired') {
        text = `$(key) ${waiting}`;
        background = 'warning';
        summary = 'Sign in to sync';
    } else if (status.connectivity === 'accessRevoked') {
        text = `$(lock) ${waiting}`;
        background = 'warning';
        summary = 'Access revoked: queued work kept';
    } else if (needsAttention > 0) {
        text = `$(warning) ${needsAttention}`;
        background = 'warning';
        summary = [
            counts.conflict > 0 ? plural(counts.conflict, 'conflict') : '',
            counts.failed > 0 ? `${plural(counts.failed, 'operation')} failed` : '',
        ].filter(Boolean).join(', ');
    } else if (status.workOffline || status.connectivity === 'workingOffline') {
        text = waiting > 0 ? `$(circle-slash) ${waiting}` : '$(circle-slash) Offline';
        background = undefined;
        summary = 'Working offline';
    } else if (status.syncing) {
        text = `$(sync~spin) ${waiting}`;
        background = undefined;
        summary = `Syncing ${plural(waiting, 'operation')}`;
    } else if (status.connectivity === 'offline' || status.connectivity === 'unreachable') {
        text = `$(debug-disconnect) ${waiting}`;
        background = undefined;
        summary = `${connectivityText[status.connectivity]}; ${waiting} waiting`;
    } else if (waiting > 0) {
        text = `$(cloud-upload) ${waiting}`;
        background = undefined;
        summary = `${plural(waiting, 'operation')} waiting to sync`;
    } else {
        text = '$(check) Synced';
        background = undefined;
        summary = 'Everything is synced';
    }

    // Low disk space never hides what the queue needs, but colours the item until space returns.
    const storage = status.storage;
    if (storage !== null && storage.level !== 'ok') {
        background = storage.level === 'critical' ? 'error' : background ?? 'warning';
        summary = `${summary}; ${storage.level === 'critical' ? 'disk almost full' : 'low disk space'}`;
    }

    return {
        text,
        tooltip: statusTooltip(status, summary, input),
        trustedCommands: [CommandIds.syncNow, CommandIds.showQueue, CommandIds.workOffline, CommandIds.goOnline, CommandIds.signIn, CommandIds.exportQueue],
        background,
        accessibilityLabel: `Offline Sync: ${summary}`,
    };
}

function plural(n: number, unit: string): string {
    return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/**
 * When the documents were last brought up to date. While this sidecar has synced since it started, that is a duration
 * it measured on its monotonic clock (`lastSyncedAgoMs`, plus the status's own age here), so setting the wall clock
 * does not move it; otherwise the stored time of the last complete pull (or flush) against `now`.
 * "(offline)" says that what is shown may be older than that already.
 */
export function lastSyncedLine(
    status: Pick<SyncStatus, 'lastPulledAt' | 'lastSyncedAt' | 'lastSyncedAgoMs' | 'connectivity'>,
    now: Date,
    statusAgeMs = 0,
): string {
    const at = status.lastSyncedAgoMs !== null
        ? new Date(now.getTime() - status.lastSyncedAgoMs - statusAgeMs)
        : status.lastPulledAt ?? status.lastSyncedAt;
    if (at === null) {
        return 'Never synced';
    }
    return `Last synced: ${formatRelativeTime(at, now)}${status.connectivity === 'online' ? '' : ' (offline)'}`;
}

/** "40 s", "5 min", "2 h", "1.5 h", "3 days": a clock difference, rounded as people say it. */
export function formatClockDifference(ms: number): string {
    const span = Math.abs(ms);
    if (span < 60_000) {
        return `${Math.round(span / 1000)} s`;
    }
    if (span < 3_600_000) {
        return `${Math.round(span / 60_000)} min`;
    }
    if (span < 48 * 3_600_000) {
        return `${Math.round(span / 360_000) / 10} h`;
    }
    return `${Math.round(span / 86_400_000)} days`;
}

/**
 * "Your clock is 2 h ahead of the server" when the sidecar's estimate (`clockSkewMs`, this machine minus the server) is
 * at least the warning threshold; undefined otherwise. Nothing breaks either way: operations keep their order.
 */
export function clockSkewLine(status: Pick<SyncStatus, 'clockSkewMs'>, warningMs = DefaultClockSkewWarningMs): string | undefined {
    const skew = status.clockSkewMs;
    if (skew === null || Math.abs(skew) < warningMs || skew === 0) {
        return undefined;
    }
    return `Your clock is ${formatClockDifference(skew)} ${skew > 0 ? 'ahead of' : 'behind'} the server`;
}

/** "3.4 MB", "256 MB": one decimal below 10 MB, whole megabytes above. */
function megabytes(bytes: number): string {
    const mb = bytes / (1024 * 1024);
    const text = mb < 10 ? mb.toFixed(1).replace(/\.0$/, '') : Math.round(mb).toLocaleString('en-US');
    return `${text} MB`;
}

/** The op cache: how many documents are kept, and how much of the budget (offlineSync.cache.maxSizeMB) they use. */
export function cacheLine(cache: CacheStatus): string {
    const documents = `${cache.entities.toLocaleString('en-US')} document${cache.entities === 1 ? '' : 's'}`;
    return `Offline copies: ${documents}, ${megabytes(cache.bytes)} of ${megabytes(cache.maxBytes)} used`;
}

/** Free space where the queue is kept; under the warning threshold it says what happens next. */
export function storageLine(storage: StorageStatus): string {
    const free = formatBytes(storage.freeBytes);
    switch (storage.level) {
        case 'ok':
            return `Disk: ${free} free`;
        case 'low':
            return `$(warning) **Low disk space:** ${free} free (warning under ${formatBytes(storage.warningBytes)}; `
                + `new changes are refused under ${formatBytes(storage.criticalBytes)}) · ${commandLink('Export Queue', CommandIds.exportQueue)}`;
        case 'critical':
            return `$(error) **Disk almost full:** ${free} free; new changes are refused until more than `
                + `${formatBytes(storage.criticalBytes)} is free (queued work still syncs) · ${commandLink('Export Queue', CommandIds.exportQueue)}`;
    }
}

function statusTooltip(status: SyncStatus, summary: string, input: StatusBarInput): string {
    const { counts } = status;
    const lines: string[] = [`**Offline Sync** — ${escapeMarkdown(summary)}`, ''];
    lines.push('| Status | Operations |', '| --- | ---: |');
    lines.push(`| Pending | ${counts.pending} |`);
    lines.push(`| Syncing | ${counts.syncing} |`);
    lines.push(`| Failed | ${counts.failed} |`);
    lines.push(`| Conflicts | ${counts.conflict} |`);
    lines.push('');
    lines.push(`Connectivity: ${connectivityText[status.connectivity]}${status.isLeader ? '' : ' (another window is syncing)'}`);
    lines.push('');
    lines.push(`Server: ${status.serverUrl ? escapeMarkdown(status.serverUrl) : 'not configured'}${status.account !== null ? ` — signed in as ${escapeMarkdown(status.account)}` : ''}`);
    lines.push('');
    lines.push(lastSyncedLine(status, input.now, input.statusAgeMs));
    const skew = clockSkewLine(status, input.clockSkewWarningMs);
    if (skew !== undefined) {
        lines.push('', `$(warning) ${skew}`);
    }
    lines.push('');
    lines.push(cacheLine(status.cache));
    if (status.storage !== null) {
        lines.push('', storageLine(status.storage));
    }
    if (status.lastError) {
        lines.push('', `Last error: ${escapeMarkdown(status.lastError.message)} (${escapeMarkdown(status.lastError.code)})`);
    }
    const links = [
        commandLink('Sync Now', CommandIds.syncNow),
        commandLink('Show Queue', CommandIds.showQueue),
        status.workOffline ? commandLink('Go Online', CommandIds.goOnline) : commandLink('Work Offline', CommandIds.workOffline),
    ];
    if (status.connectivity === 'authRequired') {
        links.unshift(commandLink('Sign In', CommandIds.signIn));
    }
    if (status.connectivity === 'accessRevoked') {
        links.unshift(commandLink('Export Queue…', CommandIds.exportQueue));
    }
    lines.push('', links.join(' · '));
    return lines.join('\n');
}

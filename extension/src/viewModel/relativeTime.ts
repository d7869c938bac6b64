/** Human time spans for tooltips ("5 minutes ago") and compact ages for tree rows ("5m"). Pure. */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function toMillis(value: Date | string): number {
    return typeof value === 'string' ? Date.parse(value) : value.getTime();
}

function plural(n: number, unit: string): string {
    return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** "just now", "5 minutes ago", "in 2 hours"; an unparsable time gives "at an unknown time". */
export function formatRelativeTime(then: Date | string, now: Date): string {
    const at = toMillis(then);
    if (Number.isNaN(at)) {
        return 'at an unknown time';
    }
    const delta = now.getTime() - at;
    const span = Math.abs(delta);
    if (span < 45 * SECOND) {
        return 'just now';
    }
    let text: string;
    if (span < 45 * MINUTE) {
        text = plural(Math.max(1, Math.round(span / MINUTE)), 'minute');
    } else if (span < 22 * HOUR) {
        text = plural(Math.max(1, Math.round(span / HOUR)), 'hour');
    } else {
        text = plural(Math.max(1, Math.round(span / DAY)), 'day');
    }
    return delta >= 0 ? `${text} ago` : `in ${text}`;
}

/** Compact age for a tree row's description: "12s", "5m", "3h", "2d". Future times count as "0s". */
export function formatAge(then: Date | string, now: Date): string {
    const at = toMillis(then);
    if (Number.isNaN(at)) {
        return '?';
    }
    const span = Math.max(0, now.getTime() - at);
    if (span < MINUTE) {
        return `${Math.floor(span / SECOND)}s`;
    }
    if (span < HOUR) {
        return `${Math.floor(span / MINUTE)}m`;
    }
    if (span < DAY) {
        return `${Math.floor(span / HOUR)}h`;
    }
    return `${Math.floor(span / DAY)}d`;
}

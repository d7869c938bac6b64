/**
 * Which notification (if any) a `offlineSync/syncEvent` deserves. Pure and stateful only through the value
 * it returns, so the rule "never more than one notification per flush" is unit-tested here, not in the glue.
 */
import type { SyncEvent } from '../protocol';

export type NotificationsSetting = 'all' | 'errorsOnly' | 'none';

export type NotificationAction = 'resolve' | 'retry' | 'viewDetails' | 'signIn' | 'exportQueue' | 'showQueue';

export interface NotificationDecision {
    severity: 'info' | 'warning' | 'error';
    message: string;
    actions: NotificationAction[];
}

export interface NotificationState {
    /** A flush started and has not completed yet. */
    inFlush: boolean;
    /** Something was already shown for the current flush. */
    shownInFlush: boolean;
    /** "Sign in to sync" was shown and nothing has changed since: do not nag. */
    authPromptShown: boolean;
    /** "Access revoked" was shown and nothing got through since: once is enough (the status bar keeps saying it). */
    accessNoticeShown: boolean;
}

export const initialNotificationState: NotificationState = { inFlush: false, shownInFlush: false, authPromptShown: false, accessNoticeShown: false };

/** Revoked access is no sign-in problem: the work is safe here, and the user may want a copy of it. */
export const AccessRevokedMessage =
    'Access to the sync server was revoked. Your queued work is safe on this machine and nothing is discarded; ' +
    'sending resumes by itself if access comes back. Export Queue… saves a copy.';

export interface NotificationStep {
    state: NotificationState;
    decision: NotificationDecision | undefined;
}

/** Flushes bigger than this get a progress indicator; small ones finish before it could be read. */
export const ProgressThreshold = 3;

export function shouldShowFlushProgress(total: number | undefined): boolean {
    return (total ?? 0) > ProgressThreshold;
}

function plural(n: number, unit: string): string {
    return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

export function decideNotification(event: SyncEvent, setting: NotificationsSetting, state: NotificationState): NotificationStep {
    switch (event.kind) {
        case 'flushStarted':
            return { state: { ...state, inFlush: true, shownInFlush: false }, decision: undefined };

        case 'operationFailed':
        case 'conflictDetected':
            // Summarised by flushCompleted: one notification per flush, not one per operation.
            return { state, decision: undefined };

        case 'authRequired': {
            if (state.authPromptShown || (state.inFlush && state.shownInFlush) || setting === 'none') {
                return { state, decision: undefined };
            }
            return {
                state: { ...state, authPromptShown: true, shownInFlush: state.inFlush },
                decision: { severity: 'warning', message: event.message ? `Sign in to sync: ${event.message}` : 'Sign in to sync.', actions: ['signIn'] },
            };
        }

        case 'accessRevoked': {
            // Shown whatever the notifications setting: it is about the safety of the user's work, once per revocation.
            if (state.accessNoticeShown) {
                return { state, decision: undefined };
            }
            return {
                state: { ...state, accessNoticeShown: true, shownInFlush: state.inFlush },
                decision: { severity: 'warning', message: AccessRevokedMessage, actions: ['exportQueue', 'showQueue'] },
            };
        }

        case 'flushCompleted': {
            const alreadyShown = state.inFlush && state.shownInFlush;
            const applied = event.applied ?? 0;
            // A flush that got anything through proves the credentials (and access) work again.
            const next: NotificationState = {
                inFlush: false,
                shownInFlush: false,
                authPromptShown: applied > 0 ? false : state.authPromptShown,
                accessNoticeShown: applied > 0 ? false : state.accessNoticeShown,
            };
            if (alreadyShown || setting === 'none') {
                return { state: next, decision: undefined };
            }
            return { state: next, decision: flushSummary(event, setting) };
        }
    }
}

function flushSummary(event: SyncEvent, setting: NotificationsSetting): NotificationDecision | undefined {
    const failed = event.failed ?? 0;
    const conflicts = event.conflicts ?? 0;
    const applied = event.applied ?? 0;
    if (conflicts > 0) {
        const failedText = failed > 0 ? ` Sync failed for ${plural(failed, 'operation')}.` : '';
        return {
            severity: 'warning',
            message: `Sync complete. ${plural(conflicts, 'conflict')} detected.${failedText}`,
            actions: failed > 0 ? ['resolve', 'retry'] : ['resolve'],
        };
    }
    if (failed > 0) {
        return { severity: 'error', message: `Sync failed for ${plural(failed, 'operation')}.`, actions: ['retry', 'viewDetails'] };
    }
    if (setting === 'all' && applied > 0) {
        return { severity: 'info', message: `Sync complete. ${plural(applied, 'operation')} synced.`, actions: [] };
    }
    return undefined;
}

/** After the user signs in (or out) the next auth failure is news again. */
export function credentialsChanged(state: NotificationState): NotificationState {
    return { ...state, authPromptShown: false };
}

export const actionLabels: Record<NotificationAction, string> = {
    resolve: 'Resolve',
    retry: 'Retry',
    viewDetails: 'View Details',
    signIn: 'Sign In',
    exportQueue: 'Export Queue…',
    showQueue: 'Show Queue',
};

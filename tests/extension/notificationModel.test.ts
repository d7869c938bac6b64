import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SyncEvent } from '../../extension/src/protocol';
import {
    credentialsChanged,
    decideNotification,
    initialNotificationState,
    NotificationDecision,
    NotificationsSetting,
    NotificationState,
    shouldShowFlushProgress,
} from '../../extension/src/viewModel/notificationModel';
import { counts } from './support/fixtures';

function event(kind: SyncEvent['kind'], extra: Partial<SyncEvent> = {}): SyncEvent {
    return { kind, counts: counts(), ids: [], message: null, ...extra };
}

/** Feeds events in order and returns every decision made. */
function run(events: SyncEvent[], setting: NotificationsSetting, start: NotificationState = initialNotificationState) {
    let state = start;
    const decisions: NotificationDecision[] = [];
    for (const e of events) {
        const step = decideNotification(e, setting, state);
        state = step.state;
        if (step.decision) {
            decisions.push(step.decision);
        }
    }
    return { decisions, state };
}

describe('sync notifications', () => {
    it('summarises conflicts once per flush with a Resolve action', () => {
        const { decisions } = run([
            event('flushStarted', { total: 10 }),
            event('conflictDetected', { ids: ['a'] }),
            event('conflictDetected', { ids: ['b'] }),
            event('conflictDetected', { ids: ['c'] }),
            event('flushCompleted', { applied: 7, conflicts: 3, failed: 0 }),
        ], 'errorsOnly');
        assert.deepEqual(decisions, [{ severity: 'warning', message: 'Sync complete. 3 conflicts detected.', actions: ['resolve'] }]);
    });

    it('reports failures with Retry / View Details', () => {
        const { decisions } = run([
            event('flushStarted', { total: 5 }),
            event('operationFailed', { ids: ['a'] }),
            event('operationFailed', { ids: ['b'] }),
            event('flushCompleted', { applied: 3, failed: 2, conflicts: 0 }),
        ], 'errorsOnly');
        assert.deepEqual(decisions, [{ severity: 'error', message: 'Sync failed for 2 operations.', actions: ['retry', 'viewDetails'] }]);
    });

    it('puts failures and conflicts of one flush into one notification', () => {
        const { decisions } = run([event('flushStarted'), event('flushCompleted', { failed: 1, conflicts: 1 })], 'all');
        assert.equal(decisions.length, 1);
        assert.equal(decisions[0]?.message, 'Sync complete. 1 conflict detected. Sync failed for 1 operation.');
        assert.deepEqual(decisions[0]?.actions, ['resolve', 'retry']);
    });

    it('announces a clean flush only with "all"', () => {
        const clean = [event('flushStarted', { total: 4 }), event('flushCompleted', { applied: 4 })];
        assert.deepEqual(run(clean, 'errorsOnly').decisions, []);
        assert.deepEqual(run(clean, 'all').decisions, [{ severity: 'info', message: 'Sync complete. 4 operations synced.', actions: [] }]);
    });

    it('"none" never notifies', () => {
        const noisy = [event('authRequired'), event('flushStarted'), event('flushCompleted', { failed: 3, conflicts: 2 })];
        assert.deepEqual(run(noisy, 'none').decisions, []);
    });

    it('asks to sign in once, and not again until credentials change or a flush gets through', () => {
        const first = run([event('authRequired', { message: 'HTTP 401' }), event('authRequired'), event('authRequired')], 'errorsOnly');
        assert.deepEqual(first.decisions, [{ severity: 'warning', message: 'Sign in to sync: HTTP 401', actions: ['signIn'] }]);
        assert.equal(run([event('authRequired')], 'errorsOnly').decisions[0]?.message, 'Sign in to sync.');
        assert.equal(run([event('authRequired')], 'errorsOnly', first.state).decisions.length, 0);
        assert.equal(run([event('authRequired')], 'errorsOnly', credentialsChanged(first.state)).decisions.length, 1);
        const afterSuccess = run([event('flushStarted'), event('flushCompleted', { applied: 1 })], 'errorsOnly', first.state).state;
        assert.equal(run([event('authRequired')], 'errorsOnly', afterSuccess).decisions.length, 1);
    });

    it('never shows more than one notification for a flush, even with auth trouble inside it', () => {
        const { decisions } = run([
            event('flushStarted', { total: 20 }),
            event('authRequired'),
            event('operationFailed'),
            event('flushCompleted', { failed: 20 }),
        ], 'all');
        assert.equal(decisions.length, 1);
        assert.deepEqual(decisions[0]?.actions, ['signIn']);
    });

    it('says once that access was revoked, that the work is safe, and offers Export Queue… and Show Queue (even with "none")', () => {
        const first = run([event('flushStarted'), event('accessRevoked', { message: 'HTTP 403' }), event('flushCompleted'), event('accessRevoked')], 'none');
        assert.equal(first.decisions.length, 1);
        assert.deepEqual(first.decisions[0]?.actions, ['exportQueue', 'showQueue']);
        assert.match(first.decisions[0]?.message ?? '', /revoked.*safe.*nothing is discarded/);
        assert.doesNotMatch(first.decisions[0]?.message ?? '', /sign in/i, 'signing in again is not the fix');
        assert.equal(run([event('accessRevoked')], 'all', first.state).decisions.length, 0);
        const afterSuccess = run([event('flushStarted'), event('flushCompleted', { applied: 2 })], 'errorsOnly', first.state).state;
        assert.equal(run([event('accessRevoked')], 'errorsOnly', afterSuccess).decisions.length, 1, 'a revocation after access came back is news again');
    });

    it('shows progress only for flushes of more than 3 operations', () => {
        assert.equal(shouldShowFlushProgress(3), false);
        assert.equal(shouldShowFlushProgress(4), true);
        assert.equal(shouldShowFlushProgress(undefined), false);
    });
});

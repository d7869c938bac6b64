/**
 * The notifications are a view of the sidecar's sync events: an `authRequired` it sends is shown at once (the sidecar
 * has the window's token from `initialize`, so it alone knows whether the credentials are missing or refused).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { SyncEvent } from '../../extension/src/protocol';
import { counts } from './support/fixtures';
import { createFakeVscode, EventEmitter, installFakeVscode } from './support/fakeVscode';

const fake = createFakeVscode({ settings: { 'offlineSync.notifications': 'errorsOnly' } });
const uninstall = installFakeVscode(fake);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SyncNotifications } = require('../../extension/src/syncNotifications') as typeof import('../../extension/src/syncNotifications');

const event = (kind: SyncEvent['kind'], message: string | null = null): SyncEvent => ({ kind, counts: counts(), ids: [], message });

describe('sync notifications from the sidecar', () => {
    after(uninstall);

    it('shows the sidecar\'s authRequired as soon as it arrives, once until the credentials change', () => {
        const events = new EventEmitter<SyncEvent>();
        const notifications = new SyncNotifications({ onSyncEvent: events.event } as never);
        const shown = () => fake.messages.filter((m) => m.message.startsWith('Sign in to sync'));

        events.fire(event('authRequired', 'HTTP 401'));
        events.fire(event('authRequired', 'HTTP 401'));
        const afterTwo = shown().length;
        notifications.credentialsChanged();
        events.fire(event('authRequired'));
        notifications.dispose();

        assert.equal(afterTwo, 1);
        assert.deepEqual(shown().map((m) => [m.severity, m.message, m.items]), [
            ['warning', 'Sign in to sync: HTTP 401', ['Sign In']],
            ['warning', 'Sign in to sync.', ['Sign In']],
        ]);
    });
});

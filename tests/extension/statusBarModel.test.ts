import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommandIds } from '../../extension/src/commandIds';
import { cacheLine, clockSkewLine, formatClockDifference, lastSyncedLine, statusBarModel } from '../../extension/src/viewModel/statusBarModel';
import { counts, status } from './support/fixtures';

const now = new Date('2026-11-22T12:00:00.000Z');

describe('statusBarModel', () => {
    it('shows a check when everything is synced, with "Never synced" before the first sync', () => {
        const model = statusBarModel({ sidecar: 'running', status: status(), now });
        assert.equal(model.text, '$(check) Synced');
        assert.equal(model.background, undefined);
        assert.match(model.tooltip, /Never synced/);
    });

    it('spins with the number of operations while syncing', () => {
        const model = statusBarModel({ sidecar: 'running', status: status({ syncing: true, counts: counts({ pending: 8, syncing: 4 }) }), now });
        assert.equal(model.text, '$(sync~spin) 12');
    });

    it('shows the disconnect icon and the pending count when offline or unreachable', () => {
        for (const connectivity of ['offline', 'unreachable'] as const) {
            const model = statusBarModel({ sidecar: 'running', status: status({ connectivity, counts: counts({ pending: 3 }) }), now });
            assert.equal(model.text, '$(debug-disconnect) 3');
            assert.equal(model.background, undefined);
        }
    });

    it('shows work-offline mode with a circle-slash and offers Go Online instead of Work Offline', () => {
        const model = statusBarModel({
            sidecar: 'running',
            status: status({ workOffline: true, connectivity: 'workingOffline', counts: counts({ pending: 2 }) }),
            now,
        });
        assert.equal(model.text, '$(circle-slash) 2');
        assert.match(model.tooltip, new RegExp(`command:${CommandIds.goOnline}`));
        assert.doesNotMatch(model.tooltip, new RegExp(`command:${CommandIds.workOffline}\\)`));
    });

    it('warns (warning background) about failed operations and conflicts before anything else but sign-in', () => {
        const model = statusBarModel({
            sidecar: 'running',
            status: status({ syncing: true, counts: counts({ failed: 2, conflict: 3, pending: 1 }) }),
            now,
        });
        assert.equal(model.text, '$(warning) 5');
        assert.equal(model.background, 'warning');
        assert.match(model.accessibilityLabel, /3 conflicts, 2 operations failed/);
    });

    it('asks to sign in when the server wants credentials, with a Sign In link', () => {
        const model = statusBarModel({ sidecar: 'running', status: status({ connectivity: 'authRequired', counts: counts({ pending: 4, failed: 1 }) }), now });
        assert.equal(model.text, '$(key) 4');
        assert.match(model.tooltip, new RegExp(`\\[Sign In\\]\\(command:${CommandIds.signIn}\\)`));
    });

    it('says access was revoked and the queue is kept, linking Export Queue… and not Sign In', () => {
        const model = statusBarModel({ sidecar: 'running', status: status({ connectivity: 'accessRevoked', counts: counts({ pending: 3 }) }), now });
        assert.equal(model.text, '$(lock) 3');
        assert.equal(model.background, 'warning');
        assert.match(model.accessibilityLabel, /Access revoked: queued work kept/);
        assert.match(model.tooltip, new RegExp(`\\[Export Queue…\\]\\(command:${CommandIds.exportQueue}\\)`));
        assert.doesNotMatch(model.tooltip, new RegExp(`command:${CommandIds.signIn}`));
    });

    it('shows an error background when the sidecar is not running, whatever the last status said', () => {
        for (const sidecar of ['stopped', 'missing'] as const) {
            const model = statusBarModel({ sidecar, status: status({ counts: counts({ pending: 9 }) }), now, sidecarProblem: 'binary not found' });
            assert.equal(model.text, '$(error) Offline Sync');
            assert.equal(model.background, 'error');
            assert.match(model.tooltip, /binary not found/);
            assert.match(model.tooltip, new RegExp(`command:${CommandIds.showLog}`));
        }
        const missing = statusBarModel({ sidecar: 'missing', status: undefined, now });
        assert.doesNotMatch(missing.tooltip, /Restart Sidecar/, 'restarting a missing binary cannot help');
    });

    it('is "starting" until the first statusChanged arrives', () => {
        assert.equal(statusBarModel({ sidecar: 'running', status: undefined, now }).text, '$(loading~spin) Offline Sync');
    });

    it('builds a tooltip with counts, connectivity, server, last sync and the three links', () => {
        const model = statusBarModel({
            sidecar: 'running',
            status: status({
                connectivity: 'unreachable',
                counts: counts({ pending: 7, failed: 0, conflict: 0, syncing: 0 }),
                lastSyncedAt: new Date(now.getTime() - 5 * 60_000).toISOString(),
                lastError: { code: 'http.503', message: 'Service [down]' },
            }),
            now,
        });
        assert.match(model.tooltip, /\| Pending \| 7 \|/);
        assert.match(model.tooltip, /Server unreachable/);
        assert.match(model.tooltip, /Server: http:\/\/127\\\.0\\\.0\\\.1:5080\n/, 'no account said before the server named one');
        assert.match(model.tooltip, /Last synced: 5 minutes ago/);
        assert.match(model.tooltip, /Service \\\[down\\\]/, 'server text is escaped before it reaches trusted markdown');
        for (const command of [CommandIds.syncNow, CommandIds.showQueue, CommandIds.workOffline]) {
            assert.match(model.tooltip, new RegExp(`\\(command:${command}\\)`));
            assert.ok(model.trustedCommands.includes(command));
        }
    });

    it('says when the documents were last synced: the last complete pull, else the last flush', () => {
        const minutesAgo = (n: number) => new Date(now.getTime() - n * 60_000).toISOString();
        assert.equal(lastSyncedLine(status({ lastPulledAt: minutesAgo(5), lastSyncedAt: minutesAgo(1) }), now), 'Last synced: 5 minutes ago');
        assert.equal(lastSyncedLine(status({ lastPulledAt: null, lastSyncedAt: minutesAgo(120) }), now), 'Last synced: 2 hours ago');
        assert.equal(lastSyncedLine(status({ lastPulledAt: null, lastSyncedAt: null }), now), 'Never synced');
    });

    it('adds "(offline)" to the last sync whenever the server cannot be reached', () => {
        const twoHours = new Date(now.getTime() - 2 * 3_600_000).toISOString();
        for (const connectivity of ['offline', 'unreachable', 'workingOffline', 'authRequired', 'accessRevoked'] as const) {
            assert.equal(lastSyncedLine(status({ connectivity, lastPulledAt: twoHours }), now), 'Last synced: 2 hours ago (offline)', connectivity);
        }
        const model = statusBarModel({ sidecar: 'running', status: status({ connectivity: 'unreachable', lastPulledAt: twoHours }), now });
        assert.match(model.tooltip, /^Last synced: 2 hours ago \(offline\)$/m);
    });

    it('says how far this machine\'s clock is from the server\'s once it reaches the threshold (default 2 minutes)', () => {
        const hour = 3_600_000;
        const ahead = statusBarModel({ sidecar: 'running', status: status({ clockSkewMs: 2 * hour + 1234 }), now });
        assert.match(ahead.tooltip, /^\$\(warning\) Your clock is 2 h ahead of the server$/m);
        const behind = statusBarModel({ sidecar: 'running', status: status({ clockSkewMs: -5 * 60_000 }), now });
        assert.match(behind.tooltip, /Your clock is 5 min behind the server/);

        assert.equal(clockSkewLine(status({ clockSkewMs: 119_000 })), undefined);
        assert.equal(clockSkewLine(status({ clockSkewMs: -120_000 })), 'Your clock is 2 min behind the server');
        assert.equal(clockSkewLine(status({ clockSkewMs: null })), undefined);
        assert.equal(clockSkewLine(status({ clockSkewMs: 40_000 }), 30_000), 'Your clock is 40 s ahead of the server');
        assert.equal(clockSkewLine(status({ clockSkewMs: 10 * 60_000 }), 15 * 60_000), undefined);
        const quiet = statusBarModel({ sidecar: 'running', status: status({ clockSkewMs: 90_000 }), now });
        assert.doesNotMatch(quiet.tooltip, /Your clock/);
        const setting = statusBarModel({ sidecar: 'running', status: status({ clockSkewMs: 90_000 }), now, clockSkewWarningMs: 60_000 });
        assert.match(setting.tooltip, /Your clock is 2 min ahead of the server/);
        assert.deepEqual([formatClockDifference(1.5 * hour), formatClockDifference(-3 * 24 * hour)], ['1.5 h', '3 days']);
    });

    it('ages "last synced" on the monotonic clocks, so setting the wall clock does not move it', () => {
        // The sidecar measured 4 minutes, the status arrived 60 s ago; the wall clock says the sync was a day ago.
        const synced = status({ lastSyncedAgoMs: 4 * 60_000, lastSyncedAt: '2026-11-21T12:00:00.000Z', lastPulledAt: '2026-11-21T12:00:00.000Z' });
        assert.equal(lastSyncedLine(synced, now, 60_000), 'Last synced: 5 minutes ago');
        const wallClockSetForward = new Date(now.getTime() + 3 * 3_600_000);
        assert.equal(lastSyncedLine(synced, wallClockSetForward, 60_000), 'Last synced: 5 minutes ago');
        const model = statusBarModel({ sidecar: 'running', status: synced, now: wallClockSetForward, statusAgeMs: 60_000 });
        assert.match(model.tooltip, /^Last synced: 5 minutes ago$/m);
    });

    it('shows the offline copies: documents, megabytes used of the maximum', () => {
        const mb = 1024 * 1024;
        assert.equal(cacheLine({ entities: 1234, bytes: 3.42 * mb, maxBytes: 256 * mb }), 'Offline copies: 1,234 documents, 3.4 MB of 256 MB used');
        assert.equal(cacheLine({ entities: 1, bytes: 0, maxBytes: 1024 * mb }), 'Offline copies: 1 document, 0 MB of 1,024 MB used');
        assert.equal(cacheLine({ entities: 20, bytes: 12.6 * mb, maxBytes: 0.5 * mb }), 'Offline copies: 20 documents, 13 MB of 0.5 MB used');
        const model = statusBarModel({ sidecar: 'running', status: status({ cache: { entities: 2, bytes: 2 * mb, maxBytes: 256 * mb } }), now });
        assert.match(model.tooltip, /^Offline copies: 2 documents, 2 MB of 256 MB used$/m);
    });

    it('only links commands it trusts', () => {
        const samples = [
            statusBarModel({ sidecar: 'running', status: status({ connectivity: 'authRequired' }), now }),
            statusBarModel({ sidecar: 'running', status: status({ connectivity: 'accessRevoked' }), now }),
            statusBarModel({ sidecar: 'stopped', status: undefined, now }),
            statusBarModel({ sidecar: 'running', status: status({ workOffline: true }), now }),
        ];
        for (const model of samples) {
            for (const [, command] of model.tooltip.matchAll(/\(command:([\w.]+)/g)) {
                assert.ok(model.trustedCommands.includes(command ?? ''), `${command} linked but not trusted`);
            }
        }
    });

    it('says which account is signed in once the server named it, escaped', () => {
        const now = new Date('2026-12-01T12:00:00Z');
        const model = statusBarModel({ sidecar: 'running', status: status({ account: 'ann_[admin]' }), now });
        assert.match(model.tooltip, /Server: http:\/\/127\\\.0\\\.0\\\.1:5080 — signed in as ann\\_\\\[admin\\\]/);
    });

    it('says the free disk space in the tooltip, and under the warning threshold colours the item and links Export Queue', () => {
        const MB = 1024 * 1024;
        const ok = statusBarModel({ sidecar: 'running', status: status(), now });
        assert.match(ok.tooltip, /Disk: 80 GB free/);
        assert.equal(ok.background, undefined);

        const storage = { freeBytes: 300 * MB, level: 'low', warningBytes: 500 * MB, criticalBytes: 50 * MB } as const;
        const low = statusBarModel({ sidecar: 'running', status: status({ storage }), now });
        assert.equal(low.text, '$(check) Synced');
        assert.equal(low.background, 'warning');
        assert.match(low.tooltip, /\*\*Low disk space:\*\* 300 MB free \(warning under 500 MB; new changes are refused under 50 MB\)/);
        assert.match(low.tooltip, new RegExp(`command:${CommandIds.exportQueue}`));
        assert.ok(low.trustedCommands.includes(CommandIds.exportQueue));
        assert.match(low.accessibilityLabel, /low disk space/);

        const critical = statusBarModel({ sidecar: 'running', status: status({ storage: { ...storage, level: 'critical', freeBytes: 20 * MB } }), now });
        assert.equal(critical.background, 'error');
        assert.match(critical.tooltip, /Disk almost full:\*\* 20 MB free; new changes are refused/);

        const unknown = statusBarModel({ sidecar: 'running', status: status({ storage: null }), now });
        assert.doesNotMatch(unknown.tooltip, /Disk/);
    });
});

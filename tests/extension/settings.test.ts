import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
    clockSkewWarningMs,
    notificationsSetting,
    progressLocationSetting,
    sidecarConfiguration,
    sidecarPathSetting,
    signOutClearDataSetting,
    workspaceIdSetting,
} from '../../extension/src/config';
import { parseSampleRequest, sampleOperations } from '../../extension/src/sampleOperations';
import { newWindowWorkspaceId, workspaceIdFor } from '../../extension/src/workspaceId';

const getter = (values: Record<string, unknown>) => (key: string) => values[key];

describe('settings sent to the sidecar', () => {
    it('passes valid values and leaves invalid ones to the sidecar defaults', () => {
        const section = sidecarConfiguration(getter({
            serverUrl: ' https://sync.example.com ',
            syncMode: 'periodic',
            syncIntervalSeconds: 15,
            batchSize: 0,
            batchesInFlight: 4,
            maxAttempts: 2.5,
            workOffline: true,
            notifications: 'all',
        }));
        assert.deepEqual(section, { serverUrl: 'https://sync.example.com', syncMode: 'periodic', syncIntervalSeconds: 15, batchesInFlight: 4, workOffline: true });
    });
    it('sends offlineSync.cache.maxSizeMB as cacheMaxSizeMB, fractions included, when the sidecar accepts it', () => {
        assert.equal(sidecarConfiguration(getter({ 'cache.maxSizeMB': 512 })).cacheMaxSizeMB, 512);
        assert.equal(sidecarConfiguration(getter({ 'cache.maxSizeMB': 0.5 })).cacheMaxSizeMB, 0.5);
        for (const bad of [0, -1, 2_000_000, '256', null]) {
            assert.equal('cacheMaxSizeMB' in sidecarConfiguration(getter({ 'cache.maxSizeMB': bad })), false, String(bad));
        }
    });
    it('sends offlineSync.attachments.maxSizeMB as attachmentMaxSizeMB when the sidecar accepts it', () => {
        assert.equal(sidecarConfiguration(getter({ 'attachments.maxSizeMB': 100 })).attachmentMaxSizeMB, 100);
        assert.equal(sidecarConfiguration(getter({ 'attachments.maxSizeMB': 0.25 })).attachmentMaxSizeMB, 0.25);
        for (const bad of [0, -5, 2_000_000, '25', null]) {
            assert.equal('attachmentMaxSizeMB' in sidecarConfiguration(getter({ 'attachments.maxSizeMB': bad })), false, String(bad));
        }
    });

    it('sends the offlineSync.storage.* thresholds when the sidecar accepts them', () => {
        const section = sidecarConfiguration(getter({
            'storage.lowSpaceWarningMB': 1_048_576,
            'storage.lowSpaceWarningPercent': 100,
            'storage.criticalSpaceMB': 0.5,
        }));
        assert.deepEqual(
            [section.lowSpaceWarningMB, section.lowSpaceWarningPercent, section.criticalSpaceMB],
            [1_048_576, 100, 0.5],
        );
        const refused = sidecarConfiguration(getter({
            'storage.lowSpaceWarningMB': 0,
            'storage.lowSpaceWarningPercent': 101,
            'storage.criticalSpaceMB': '50',
        }));
        assert.deepEqual(['lowSpaceWarningMB', 'lowSpaceWarningPercent', 'criticalSpaceMB'].filter((key) => key in refused), []);
    });
    it('reads offlineSync.workspaceId, blank meaning "derive it"', () => {
        assert.equal(workspaceIdSetting(getter({ workspaceId: ' team-notes ' })), 'team-notes');
        assert.equal(workspaceIdSetting(getter({ workspaceId: '  ' })), undefined);
        assert.equal(workspaceIdSetting(getter({})), undefined);
    });
    it('maps an empty server URL to null ("no server")', () => {
        assert.deepEqual(sidecarConfiguration(getter({ serverUrl: '', syncMode: 'sometimes' })), { serverUrl: null });
    });
    it('reads the editor-only settings with safe defaults', () => {
        assert.equal(notificationsSetting(getter({})), 'errorsOnly');
        assert.equal(notificationsSetting(getter({ notifications: 'none' })), 'none');
        assert.equal(progressLocationSetting(getter({ progressLocation: 'window' })), 'window');
        assert.equal(progressLocationSetting(getter({ progressLocation: 'nowhere' })), 'notification');
        assert.equal(signOutClearDataSetting(getter({})), 'ask');
        assert.equal(signOutClearDataSetting(getter({ 'signOut.clearData': 'clear' })), 'clear');
        assert.equal(signOutClearDataSetting(getter({ 'signOut.clearData': 'keep' })), 'keep');
        assert.equal(signOutClearDataSetting(getter({ 'signOut.clearData': 'wipe' })), 'ask');
    });
    it('reads offlineSync.clock.skewWarningMinutes as milliseconds, 2 minutes when unset or invalid (editor-only)', () => {
        assert.equal(clockSkewWarningMs(getter({})), 120_000);
        assert.equal(clockSkewWarningMs(getter({ 'clock.skewWarningMinutes': 0.5 })), 30_000);
        assert.equal(clockSkewWarningMs(getter({ 'clock.skewWarningMinutes': 0 })), 0);
        assert.equal(clockSkewWarningMs(getter({ 'clock.skewWarningMinutes': -1 })), 120_000);
        assert.equal(clockSkewWarningMs(getter({ 'clock.skewWarningMinutes': '5' })), 120_000);
        assert.deepEqual(Object.keys(sidecarConfiguration(getter({ 'clock.skewWarningMinutes': 5 }))), ['serverUrl']);
        assert.equal(sidecarPathSetting(getter({ 'sidecar.path': '  ' })), undefined);
        assert.equal(sidecarPathSetting(getter({ 'sidecar.path': '/opt/offline-sidecar' })), '/opt/offline-sidecar');
    });
});

describe('workspace id', () => {
    it('is stable for the same folders and differs for different ones', () => {
        const a = workspaceIdFor({ folders: ['file:///home/u/project'] });
        assert.equal(a, workspaceIdFor({ folders: ['file:///home/u/project'] }));
        assert.notEqual(a, workspaceIdFor({ folders: ['file:///home/u/other'] }));
        assert.match(a ?? '', /^ws-[0-9a-f]{24}$/);
    });
    it('prefers a saved workspace file over its folders, but not an untitled one', () => {
        const file = workspaceIdFor({ workspaceFile: 'file:///home/u/team.code-workspace', folders: ['file:///a', 'file:///b'] });
        assert.equal(file, workspaceIdFor({ workspaceFile: 'file:///home/u/team.code-workspace', folders: ['file:///c'] }));
        assert.equal(
            workspaceIdFor({ workspaceFile: 'untitled:Untitled-1', folders: ['file:///a'] }),
            workspaceIdFor({ folders: ['file:///a'] }),
        );
    });
    it('takes offlineSync.workspaceId over anything derived', () => {
        assert.equal(workspaceIdFor({ setting: ' team-notes ', workspaceFile: 'file:///w.code-workspace', folders: ['file:///a'] }), 'team-notes');
        assert.equal(workspaceIdFor({ setting: '', folders: ['file:///a'] }), workspaceIdFor({ folders: ['file:///a'] }));
        assert.equal(workspaceIdFor({ setting: 'mine', folders: [] }), 'mine');
    });
    it('ignores documents folders, so opening the documents does not change the id', () => {
        const plain = workspaceIdFor({ folders: ['file:///home/u/project'] });
        assert.equal(workspaceIdFor({ folders: ['file:///home/u/project', `offline-sync://${plain}/`] }), plain);
        assert.equal(workspaceIdFor({ folders: ['offline-sync://ws-x/', 'file:///home/u/project'] }), plain);
    });
    it('takes the id of a window made only of documents folders from the first one', () => {
        assert.equal(workspaceIdFor({ folders: ['offline-sync://ws-abc/', 'offline-sync://ws-def/'] }), 'ws-abc');
        assert.equal(workspaceIdFor({ folders: ['offline-sync://team%20notes/'] }), 'team notes', 'decoded as Uri.authority is');
        assert.equal(
            workspaceIdFor({ workspaceFile: 'file:///home/u/docs.code-workspace', folders: ['offline-sync://ws-abc/'] }),
            'ws-abc',
            'a saved workspace of documents folders is that workspace',
        );
    });
    it('has no id without folders; windows then get distinct random ids', () => {
        assert.equal(workspaceIdFor({ folders: [] }), undefined);
        assert.notEqual(newWindowWorkspaceId(), newWindowWorkspaceId());
    });
});

describe('sample operations', () => {
    it('accepts {count, type?, entityPrefix?} or a number, and nothing else', () => {
        assert.deepEqual(parseSampleRequest({ count: 3 }), { count: 3, type: undefined, entityPrefix: undefined });
        assert.deepEqual(parseSampleRequest(2), { count: 2 });
        assert.equal(parseSampleRequest({ count: 0 }), undefined);
        assert.equal(parseSampleRequest({ count: 1.5 }), undefined);
        assert.equal(parseSampleRequest('5'), undefined);
        assert.equal(parseSampleRequest(undefined), undefined);
    });
    it('makes document.put.v1 operations on demo-1…demo-N', () => {
        const ops = sampleOperations({ count: 3 }, new Date('2026-11-22T10:00:00Z'));
        assert.deepEqual(ops.map((o) => [o.type, o.entityId]), [
            ['document.put.v1', 'demo-1'],
            ['document.put.v1', 'demo-2'],
            ['document.put.v1', 'demo-3'],
        ]);
        assert.equal('expectedVersion' in (ops[0] ?? {}), false);
        const custom = sampleOperations({ count: 1, type: 'note.add.v2', entityPrefix: 'note' }, new Date());
        assert.deepEqual([custom[0]?.type, custom[0]?.entityId], ['note.add.v2', 'note-1']);
    });
    it('passes expectedVersion through, so conflicts can be made on demand', () => {
        const request = parseSampleRequest({ count: 2, entityPrefix: 'conflict', expectedVersion: 0 });
        assert.deepEqual(request, { count: 2, type: undefined, entityPrefix: 'conflict', expectedVersion: 0 });
        const ops = sampleOperations(request ?? { count: 0 }, new Date());
        assert.deepEqual(ops.map((o) => [o.entityId, o.expectedVersion]), [['conflict-1', 0], ['conflict-2', 0]]);
        assert.equal(parseSampleRequest({ count: 1, expectedVersion: -1 })?.expectedVersion, undefined);
    });
});

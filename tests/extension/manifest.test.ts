/** package.json contributions agree with the code: commands, menus, settings, views. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CommandIds, ContextKeys, QueueViewId } from '../../extension/src/commandIds';
import { MaxAttachmentSizeMB, MaxCacheSizeMB } from '../../extension/src/config';
import { DocumentsScheme } from '../../extension/src/documents/documentPaths';
import { repoRoot } from './support/paths';

interface MenuEntry { command: string; when?: string; group?: string }
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    main: string;
    version: string;
    license: string;
    icon: string;
    categories: string[];
    keywords: string[];
    extensionKind: string[];
    galleryBanner: { color: string; theme: string };
    repository: { url: string };
    bugs: { url: string };
    devDependencies: Record<string, string>;
    engines: { vscode: string };
    activationEvents: string[];
    scripts: Record<string, string>;
    capabilities: {
        virtualWorkspaces: { supported: unknown; description?: string };
        untrustedWorkspaces: { supported: unknown; description?: string; restrictedConfigurations?: string[] };
    };
    contributes: {
        commands: { command: string; title: string; category: string; icon?: string; enablement?: string }[];
        menus: Record<string, MenuEntry[]>;
        configuration: { properties: Record<string, { type?: string; default?: unknown; enum?: unknown[]; minimum?: number; maximum?: number }> };
        viewsContainers: { activitybar: { id: string; icon: string }[] };
        views: Record<string, { id: string; name: string }[]>;
        viewsWelcome: { view: string; contents: string; when?: string }[];
    };
};
const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
const itemOnly = [CommandIds.retry, CommandIds.discard, CommandIds.showDetails, CommandIds.prioritize, CommandIds.editPayload, CommandIds.resolveConflict, CommandIds.loadMore];

describe('package.json manifest', () => {
    it('contributes exactly the commands the code defines, all in the "Offline Sync" category', () => {
        assert.deepEqual([...contributed].sort(), Object.values(CommandIds).sort());
        for (const c of manifest.contributes.commands) {
            assert.equal(c.category, 'Offline Sync', c.command);
        }
    });

    it('keeps the root scripts pointing at scripts/*.sh', () => {
        for (const name of ['build', 'package', 'test', 'test:ts', 'test:e2e', 'demo']) {
            assert.match(manifest.scripts[name] ?? '', /^bash scripts\/.+\.sh$/, name);
        }
    });

    it('menus only reference contributed commands', () => {
        for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
            for (const entry of entries) {
                assert.ok(contributed.has(entry.command), `${menu}: ${entry.command}`);
            }
        }
    });

    it('hides item-only commands from the command palette', () => {
        const palette = new Map(manifest.contributes.menus.commandPalette?.map((e) => [e.command, e.when]));
        for (const id of itemOnly) {
            assert.equal(palette.get(id), 'false', id);
        }
    });

    it('has the view-title actions, with Work Offline / Go Online toggled by the context key', () => {
        const title = manifest.contributes.menus['view/title'] ?? [];
        const byCommand = new Map(title.map((e) => [e.command, e.when ?? '']));
        for (const id of [CommandIds.syncNow, CommandIds.retryAllFailed, CommandIds.exportQueue, CommandIds.clearQueue]) {
            assert.match(byCommand.get(id) ?? '', new RegExp(`view == ${QueueViewId.replace('.', '\\.')}`), id);
        }
        assert.match(byCommand.get(CommandIds.workOffline) ?? '', /!offlineSync\.workOffline/);
        assert.match(byCommand.get(CommandIds.goOnline) ?? '', /(^|&& )offlineSync\.workOffline/);
    });

    it('offers inline Retry only on failed, Resolve only on conflicts, Edit Payload only on pending', () => {
        const context = manifest.contributes.menus['view/item/context'] ?? [];
        const whens = (id: string) => context.filter((e) => e.command === id).map((e) => e.when ?? '');
        assert.ok(whens(CommandIds.retry).every((w) => w.includes('viewItem == operation.failed')));
        assert.ok(whens(CommandIds.resolveConflict).every((w) => w.includes('viewItem == operation.conflict')));
        assert.deepEqual(whens(CommandIds.editPayload), [`view == ${QueueViewId} && viewItem == operation.pending`]);
        assert.ok(context.some((e) => e.command === CommandIds.discard && e.group?.startsWith('inline')));
    });

    it('declares every setting the extension reads, with the documented defaults', () => {
        const props = manifest.contributes.configuration.properties;
        const expected: Record<string, unknown> = {
            'offlineSync.serverUrl': '',
            'offlineSync.syncMode': 'eager',
            'offlineSync.syncIntervalSeconds': 30,
            'offlineSync.batchSize': 50,
            'offlineSync.batchesInFlight': 8,
            'offlineSync.maxAttempts': 5,
            'offlineSync.workOffline': false,
            'offlineSync.notifications': 'errorsOnly',
            'offlineSync.progressLocation': 'notification',
            'offlineSync.trace.server': 'off',
            'offlineSync.sidecar.path': '',
            'offlineSync.cache.maxSizeMB': 256,
            'offlineSync.workspaceId': '',
            'offlineSync.signOut.clearData': 'ask',
            'offlineSync.attachments.maxSizeMB': 25,
            'offlineSync.clock.skewWarningMinutes': 2,
            'offlineSync.storage.lowSpaceWarningMB': 500,
            'offlineSync.storage.lowSpaceWarningPercent': 5,
            'offlineSync.storage.criticalSpaceMB': 50,
        };
        assert.deepEqual(Object.keys(props).sort(), Object.keys(expected).sort());
        for (const [key, value] of Object.entries(expected)) {
            assert.deepEqual(props[key]?.default, value, key);
        }
        assert.deepEqual(props['offlineSync.syncMode']?.enum, ['eager', 'periodic', 'manual']);
        assert.deepEqual(props['offlineSync.notifications']?.enum, ['all', 'errorsOnly', 'none']);
        assert.deepEqual(props['offlineSync.signOut.clearData']?.enum, ['ask', 'keep', 'clear']);
        const cache = props['offlineSync.cache.maxSizeMB'];
        assert.deepEqual([cache?.type, cache?.minimum, cache?.maximum], ['number', 1, MaxCacheSizeMB]);
        const attachments = props['offlineSync.attachments.maxSizeMB'];
        assert.deepEqual([attachments?.type, attachments?.maximum], ['number', MaxAttachmentSizeMB]);
        assert.ok((attachments?.minimum ?? 0) > 0);
        const low = props['offlineSync.storage.lowSpaceWarningMB'];
        const percent = props['offlineSync.storage.lowSpaceWarningPercent'];
        const critical = props['offlineSync.storage.criticalSpaceMB'];
        assert.deepEqual([low?.maximum, percent?.maximum, critical?.maximum], [MaxCacheSizeMB, 100, MaxCacheSizeMB]);
    });

    it('activates for the documents file system and says what works in virtual and untrusted workspaces', () => {
        assert.deepEqual(manifest.activationEvents, ['onStartupFinished', `onFileSystem:${DocumentsScheme}`]);
        const { virtualWorkspaces, untrustedWorkspaces } = manifest.capabilities;
        assert.equal(virtualWorkspaces.supported, 'limited');
        assert.match(virtualWorkspaces.description ?? '', /Search/);
        assert.match(virtualWorkspaces.description ?? '', /73524/);
        assert.equal(untrustedWorkspaces.supported, 'limited');
        assert.ok(untrustedWorkspaces.description);
        assert.deepEqual(untrustedWorkspaces.restrictedConfigurations, ['offlineSync.sidecar.path', 'offlineSync.serverUrl']);
    });

    it('offers the document commands in the explorer of the documents folder only, Resolve Conflict only on conflicts', () => {
        const explorer = manifest.contributes.menus['explorer/context'] ?? [];
        assert.deepEqual(explorer.map((e) => e.command).sort(), [CommandIds.pinDocument, CommandIds.pull, CommandIds.resolveConflict, CommandIds.unpinDocument].sort());
        assert.ok(explorer.every((e) => (e.when ?? '').startsWith(`resourceScheme == ${DocumentsScheme}`)));
        const resolve = explorer.find((e) => e.command === CommandIds.resolveConflict);
        assert.match(resolve?.when ?? '', new RegExp(`resource in ${ContextKeys.conflictDocuments.replace('.', '\\.')}`));
        const palette = new Map(manifest.contributes.menus.commandPalette?.map((e) => [e.command, e.when]));
        assert.equal(palette.get(CommandIds.pinDocument), `resourceScheme == ${DocumentsScheme}`);
        assert.equal(palette.get(CommandIds.unpinDocument), `resourceScheme == ${DocumentsScheme}`);
        assert.equal(palette.get(CommandIds.openDocuments), undefined, 'Open Documents is in the palette');
        const byId = new Map(manifest.contributes.commands.map((c) => [c.command, c]));
        for (const id of [CommandIds.pull, CommandIds.resolveAll, CommandIds.pinDocument, CommandIds.unpinDocument]) {
            assert.equal(byId.get(id)?.enablement, 'offlineSync.sidecarState == running', id);
        }
        assert.deepEqual(
            [CommandIds.openDocuments, CommandIds.pull, CommandIds.resolveAll, CommandIds.pinDocument].map((id) => byId.get(id)?.title),
            ['Open Documents', 'Pull Documents', 'Resolve All Conflicts\u2026', 'Keep Available Offline'],
        );
    });

    it('has the activity-bar container, the queue view and welcome content for an empty queue', () => {
        assert.deepEqual(manifest.contributes.viewsContainers.activitybar.map((c) => c.id), ['offlineSync']);
        assert.deepEqual(manifest.contributes.views.offlineSync?.map((v) => [v.id, v.name]), [[QueueViewId, 'Sync Queue']]);
        assert.ok(manifest.contributes.viewsWelcome.some((w) => w.view === QueueViewId && /queueEmpty/.test(w.when ?? '')));
        const icon = manifest.contributes.viewsContainers.activitybar[0]?.icon ?? '';
        assert.match(readFileSync(path.join(repoRoot, icon), 'utf8'), /<svg/);
    });

    it('uses the client library its engine allows', () => {
        const client = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules/vscode-languageclient/package.json'), 'utf8')) as { engines: { vscode: string } };
        assert.equal(manifest.engines.vscode, client.engines.vscode);
        assert.equal(manifest.main, './dist/extension.js');
    });

    it('is type-checked against the API of the lowest VS Code it declares', () => {
        // The client library's floor is the real one; compiling against that version's @types/vscode proves the
        // extension's own code asks for nothing newer.
        assert.equal(manifest.devDependencies['@types/vscode'], manifest.engines.vscode);
    });

    it('is listed like the extensions people trust: kind, banner, links, icon, changelog, screenshots', () => {
        assert.deepEqual(manifest.extensionKind, ['workspace'], 'runs where its native sidecar and the workspace are');
        assert.match(manifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
        assert.ok(['dark', 'light'].includes(manifest.galleryBanner.theme));
        const home = manifest.repository.url.replace(/\.git$/, '');
        assert.match(home, /^https:\/\/github\.com\/[^/]+\/[^/]+$/);
        assert.equal(manifest.bugs.url, `${home}/issues`);
        assert.equal(manifest.license, 'MIT');
        assert.ok(manifest.categories.length > 0 && manifest.keywords.length >= 5 && manifest.keywords.length <= 30);
        const icon = readFileSync(path.join(repoRoot, manifest.icon));
        assert.equal(icon.subarray(1, 4).toString('latin1'), 'PNG');
        assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128]);
        assert.match(readFileSync(path.join(repoRoot, 'CHANGELOG.md'), 'utf8'), new RegExp(`^## ${manifest.version.replace(/\./g, '\\.')}\\b`, 'm'));
        // The marketplace README links its screenshots relative to itself; scripts/package.sh makes them repository links.
        const readmeDir = path.join(repoRoot, 'extension');
        const images = [...readFileSync(path.join(readmeDir, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1] ?? '');
        assert.ok(images.length >= 3, `${images.length} screenshots`);
        for (const image of images) {
            assert.match(image, /^\.\.\/docs\/images\/[\w-]+\.png$/, image);
            assert.ok(existsSync(path.join(readmeDir, image)), image);
        }
    });
});

/**
 * The extension's glue under a fake `vscode` with no usable sidecar: activation still registers everything,
 * the user gets ONE clear error with "Open Log", the status bar turns red, and nothing retries in a loop.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { OfflineSyncApi } from '../../extension/src/api';
import { createFakeVscode, fakeExtensionContext, installFakeVscode, whenFake } from './support/fakeVscode';
import { repoRoot } from './support/paths';
import { readFileSync } from 'node:fs';

const fake = createFakeVscode();
const uninstall = installFakeVscode(fake);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const extension = require('../../extension/src/extension') as typeof import('../../extension/src/extension');

describe('activation without a sidecar', () => {
    let dir: string;
    let api: OfflineSyncApi;
    let context: ReturnType<typeof fakeExtensionContext>;
    const missing = '/nonexistent/offline-sidecar';
    const savedEnv = process.env.OFFLINE_SIDECAR_PATH;

    before(async () => {
        dir = await mkdtemp(path.join(tmpdir(), 'offline-sync-activation-'));
        process.env.OFFLINE_SIDECAR_PATH = missing;
        fake.answers.push('Open Log');
        context = fakeExtensionContext({ extensionPath: dir, globalStorage: path.join(dir, 'storage') });
        api = await extension.activate(context as never);
    });

    after(async () => {
        await extension.deactivate();
        // What VS Code does after deactivate: dispose everything the extension registered.
        for (const d of context.subscriptions) {
            d.dispose();
        }
        uninstall();
        process.env.OFFLINE_SIDECAR_PATH = savedEnv;
        await rm(dir, { recursive: true, force: true });
    });

    it('registers every contributed command', () => {
        const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
        const missingCommands = manifest.contributes.commands.map((c) => c.command).filter((id) => !fake.commands.has(id));
        assert.deepEqual(missingCommands, []);
    });

    it('shows one error naming the binary and its source, with Open Log, which opens the log', async () => {
        await whenFake(fake, 'message', 'the error notification', () => fake.messages.some((m) => m.severity === 'error'));
        // "Only one" has no event to await. A missing binary is found out by a few file lookups, so a start that
        // retried on its own failure would show its next error within milliseconds of the first; 300 ms is ample
        // even on a loaded machine.
        await new Promise((r) => setTimeout(r, 300));
        const errors = fake.messages.filter((m) => m.severity === 'error');
        assert.equal(errors.length, 1, 'exactly one notification, no crash loop');
        assert.match(errors[0]?.message ?? '', new RegExp(`${missing}.*OFFLINE_SIDECAR_PATH`));
        assert.deepEqual(errors[0]?.items, ['Open Log']);
        await whenFake(fake, 'logShown', 'the log to be shown', () => fake.logs.some((l) => l.shown));
        assert.ok(fake.logs.find((l) => l.name === 'Offline Sync')?.lines.some((l) => l.includes(missing)));
    });

    it('turns the status bar item red and sets the sidecar context key', () => {
        const item = fake.statusBarItems[0];
        assert.equal(item?.text, '$(error) Offline Sync');
        assert.equal(item?.backgroundColor?.id, 'statusBarItem.errorBackground');
        assert.equal(item?.command, 'offlineSync.showQueue');
        assert.ok(item?.visible);
        assert.equal(fake.context.get('offlineSync.sidecarState'), 'missing');
    });

    it('creates the queue view with multi-select, empty while nothing is known', async () => {
        const view = fake.treeViews.find((v) => v.id === 'offlineSync.queue');
        assert.ok(view);
        assert.equal(view.options.canSelectMany, true);
        assert.deepEqual(await view.provider.getChildren(undefined), []);
        assert.equal(view.badge, undefined);
    });

    it('rejects API calls with a clear reason instead of hanging', async () => {
        await assert.rejects(api.enqueue({ type: 'document.put.v1', payload: {} }), /sidecar is not running.*not found/);
        await assert.rejects(api.listOperations({}), /not running/);
    });

    it('commands fail with one readable message instead of throwing', async () => {
        const before = fake.messages.length;
        const result = await fake.module.commands.executeCommand('offlineSync.syncNow');
        assert.equal(result, undefined);
        const shown = fake.messages.slice(before);
        assert.equal(shown.length, 1);
        assert.match(shown[0]?.message ?? '', /^Offline Sync: The Offline Sync sidecar is not running/);
    });
});

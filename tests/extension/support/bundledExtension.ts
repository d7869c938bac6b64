/**
 * The BUNDLED extension (dist/extension.js) activated under a recording fake `vscode`, with the real sidecar
 * (OFFLINE_SIDECAR_PATH → dist/sidecar) and a real reference sync server, for the integration suites. One place
 * starts and stops all of it so every suite leaves no sidecar, server, environment variable or folder behind.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { OfflineSyncApi } from '../../../extension/src/api';
import { createFakeVscode, fakeExtensionContext, installFakeVscode } from './fakeVscode';
import { bundledExtension, requireBuilt, sidecarBinary } from './paths';
import { startSyncServer, SyncServer } from './syncServer';

interface BundledModule { activate(ctx: unknown): Promise<OfflineSyncApi>; deactivate(): Promise<void> }

export interface BundledExtension {
    readonly dir: string;
    readonly server: SyncServer;
    readonly fake: ReturnType<typeof createFakeVscode>;
    readonly context: ReturnType<typeof fakeExtensionContext>;
    readonly api: OfflineSyncApi;
    /** The extension's own deactivate; stop() calls it again, which it allows. */
    deactivate(): Promise<void>;
    stop(): Promise<void>;
}

export interface BundledExtensionOptions {
    /** Prefix of the temporary folder that holds the server's data, the workspace and the extension's storage. */
    readonly name: string;
    readonly token: string;
    /** `offlineSync.*` settings; serverUrl is set to the started server. */
    readonly settings: Record<string, unknown>;
    /** Runs once the server is up and before the extension starts (seed documents here). */
    readonly seed?: (server: SyncServer) => Promise<void>;
}

export async function startBundledExtension(options: BundledExtensionOptions): Promise<BundledExtension> {
    requireBuilt(bundledExtension);
    requireBuilt(sidecarBinary);
    const savedEnv = { path: process.env.OFFLINE_SIDECAR_PATH, token: process.env.OFFLINE_SYNC_TOKEN };
    const dir = await mkdtemp(path.join(tmpdir(), `${options.name}-`));
    await mkdir(path.join(dir, 'server'));
    await mkdir(path.join(dir, 'workspace'));
    const server = await startSyncServer(path.join(dir, 'server'), options.token);
    await options.seed?.(server);

    const fake = createFakeVscode({ workspaceFolders: [path.join(dir, 'workspace')] });
    fake.settings.set('offlineSync.serverUrl', server.url);
    for (const [key, value] of Object.entries(options.settings)) {
        fake.settings.set(`offlineSync.${key}`, value);
    }
    process.env.OFFLINE_SIDECAR_PATH = sidecarBinary;
    process.env.OFFLINE_SYNC_TOKEN = options.token;
    const uninstall = installFakeVscode(fake);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const extension = require(bundledExtension) as BundledModule;
    const context = fakeExtensionContext({ extensionPath: path.join(dir, 'ext'), globalStorage: path.join(dir, 'storage') });
    const api = await extension.activate(context);

    async function stop(): Promise<void> {
        await extension.deactivate();
        for (const d of context.subscriptions) {
            d.dispose();
        }
        uninstall();
        await server.stop();
        process.env.OFFLINE_SIDECAR_PATH = savedEnv.path;
        process.env.OFFLINE_SYNC_TOKEN = savedEnv.token;
        await rm(dir, { recursive: true, force: true });
    }

    return { dir, server, fake, context, api, deactivate: () => extension.deactivate(), stop };
}

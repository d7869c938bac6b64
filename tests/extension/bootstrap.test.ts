/** findSidecar against real files and real processes (small shell scripts standing in for the binary). */
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BootstrapError, bundledSidecarPath, findSidecar, platformKey } from '../../extension/src/bootstrap';

let dir: string;

async function script(name: string, body: string, executable = true): Promise<string> {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `#!/bin/sh\n${body}\n`);
    await chmod(file, executable ? 0o755 : 0o644);
    return file;
}

const base = { env: {}, settingPath: undefined, platform: 'linux' as NodeJS.Platform, arch: 'x64' };

describe('bootstrap: finding and checking the sidecar', () => {
    before(async () => {
        dir = await mkdtemp(path.join(tmpdir(), 'offline-sync-bootstrap-'));
    });
    after(async () => {
        await rm(dir, { recursive: true, force: true });
    });

    it('names bundled binaries by platform-arch', () => {
        assert.equal(platformKey('linux', 'x64'), 'linux-x64');
        assert.equal(bundledSidecarPath('/ext', 'linux', 'arm64'), path.join('/ext', 'server', 'linux-arm64', 'offline-sidecar'));
        assert.equal(bundledSidecarPath('/ext', 'win32', 'x64'), path.join('/ext', 'server', 'win32-x64', 'offline-sidecar.exe'));
    });

    it('prefers OFFLINE_SIDECAR_PATH over the setting over the bundled binary', async () => {
        const fromEnv = await script('env/offline-sidecar', 'echo "offline-sidecar 9.9.9-env"');
        const fromSetting = await script('setting/offline-sidecar', 'echo "offline-sidecar 1.0.0-setting"');
        await script('ext/server/linux-x64/offline-sidecar', 'echo "offline-sidecar 0.1.0"');
        const extensionPath = path.join(dir, 'ext');

        const env = await findSidecar({ ...base, extensionPath, env: { OFFLINE_SIDECAR_PATH: fromEnv }, settingPath: fromSetting });
        assert.deepEqual(env, { path: fromEnv, source: 'environment', version: 'offline-sidecar 9.9.9-env' });
        const setting = await findSidecar({ ...base, extensionPath, settingPath: fromSetting });
        assert.equal(setting.source, 'setting');
        assert.equal(setting.version, 'offline-sidecar 1.0.0-setting');
        const bundled = await findSidecar({ ...base, extensionPath });
        assert.equal(bundled.source, 'bundled');
        assert.equal(bundled.version, 'offline-sidecar 0.1.0');
    });

    it('does not fall back when the configured binary is missing, and says where the path came from', async () => {
        const extensionPath = path.join(dir, 'ext');
        await assert.rejects(
            findSidecar({ ...base, extensionPath, settingPath: path.join(dir, 'nope') }),
            (e: Error) => e instanceof BootstrapError && /not found/.test(e.message) && /offlineSync\.sidecar\.path/.test(e.message),
        );
    });

    it('refuses a file that is not executable', async () => {
        const file = await script('plain/offline-sidecar', 'echo x', false);
        await assert.rejects(findSidecar({ ...base, extensionPath: dir, settingPath: file }), /not executable/);
    });

    it('restores a lost executable bit on the bundled binary, but not on a user-configured one', async () => {
        await script('lost-bit/server/linux-x64/offline-sidecar', 'echo "offline-sidecar 0.1.0"', false);
        const found = await findSidecar({ ...base, extensionPath: path.join(dir, 'lost-bit') });
        assert.equal(found.version, 'offline-sidecar 0.1.0');
    });

    it('reports a binary whose --version fails, with its stderr', async () => {
        const file = await script('broken/offline-sidecar', 'echo "missing libicu" >&2; exit 3');
        await assert.rejects(findSidecar({ ...base, extensionPath: dir, settingPath: file }), /failed "--version": missing libicu/);
    });

    it('gives up on a binary that hangs, within the timeout', async () => {
        const file = await script('hung/offline-sidecar', 'exec sleep 30');
        const started = Date.now();
        await assert.rejects(findSidecar({ ...base, extensionPath: dir, settingPath: file, versionTimeoutMs: 300 }), /did not answer within 300 ms/);
        assert.ok(Date.now() - started < 5000);
    });

    it('says when nothing is bundled for this platform', async () => {
        await assert.rejects(findSidecar({ ...base, arch: 'riscv64', extensionPath: path.join(dir, 'ext') }), /no sidecar for linux-riscv64/);
    });
});

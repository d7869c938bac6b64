/**
 * Finds the sidecar binary and checks that it runs, like rust-analyzer's bootstrap.ts.
 * Lookup order: OFFLINE_SIDECAR_PATH, the `offlineSync.sidecar.path` setting, the binary bundled in the
 * extension (server/<platform>-<arch>/offline-sidecar). An explicitly configured path that is broken is an
 * error, not a reason to fall back silently: the user asked for that binary.
 * No vscode import: the inputs are passed in, so it is tested with real files and processes.
 */
import { execFile } from 'node:child_process';
import { access, chmod, constants, stat } from 'node:fs/promises';
import * as path from 'node:path';

export const SidecarPathEnv = 'OFFLINE_SIDECAR_PATH';

export type SidecarSource = 'environment' | 'setting' | 'bundled';

export interface SidecarBinary {
    path: string;
    source: SidecarSource;
    /** What `offline-sidecar --version` printed (first line). */
    version: string;
}

export interface BootstrapInput {
    env: NodeJS.ProcessEnv;
    settingPath: string | undefined;
    extensionPath: string;
    platform: NodeJS.Platform;
    arch: string;
    /** How long `--version` may take; a hung binary must not hang activation. */
    versionTimeoutMs?: number;
}

export class BootstrapError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'BootstrapError';
    }
}

/** The folder key of bundled binaries, e.g. linux-x64, darwin-arm64, win32-x64. */
export function platformKey(platform: NodeJS.Platform, arch: string): string {
    return `${platform}-${arch}`;
}

export function bundledSidecarPath(extensionPath: string, platform: NodeJS.Platform, arch: string): string {
    const exe = platform === 'win32' ? 'offline-sidecar.exe' : 'offline-sidecar';
    return path.join(extensionPath, 'server', platformKey(platform, arch), exe);
}

/** The candidate to use and where it came from; the first configured source wins. */
export function chooseSidecarPath(input: BootstrapInput): { path: string; source: SidecarSource } {
    const fromEnv = input.env[SidecarPathEnv]?.trim();
    if (fromEnv) {
        return { path: fromEnv, source: 'environment' };
    }
    if (input.settingPath) {
        return { path: input.settingPath, source: 'setting' };
    }
    return { path: bundledSidecarPath(input.extensionPath, input.platform, input.arch), source: 'bundled' };
}

function describeSource(source: SidecarSource): string {
    switch (source) {
        case 'environment':
            return `${SidecarPathEnv} environment variable`;
        case 'setting':
            return '"offlineSync.sidecar.path" setting';
        case 'bundled':
            return 'binary bundled with the extension';
    }
}

function runVersion(binary: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile(binary, ['--version'], { timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
            if (error) {
                const reason = error.killed ? `did not answer within ${timeoutMs} ms` : (stderr.trim() || error.message);
                reject(new Error(reason));
                return;
            }
            resolve(stdout.trim().split(/\r?\n/)[0] ?? '');
        });
    });
}

/** Some unzip paths drop the executable bit of files in a VSIX; the bundled binary is ours to fix. */
async function restoreExecutableBit(file: string): Promise<void> {
    try {
        const info = await stat(file);
        if (info.isFile() && (info.mode & 0o111) === 0) {
            await chmod(file, info.mode | 0o755);
        }
    } catch {
        // Missing: reported by the access check below.
    }
}

export async function findSidecar(input: BootstrapInput): Promise<SidecarBinary> {
    const candidate = chooseSidecarPath(input);
    const from = describeSource(candidate.source);
    if (candidate.source === 'bundled') {
        await restoreExecutableBit(candidate.path);
    }
    try {
        await access(candidate.path, constants.X_OK);
    } catch {
        const hint = candidate.source === 'bundled'
            ? ` This build of the extension has no sidecar for ${platformKey(input.platform, input.arch)}; set "offlineSync.sidecar.path".`
            : '';
        throw new BootstrapError(`Offline Sync sidecar not found or not executable: ${candidate.path} (from the ${from}).${hint}`);
    }
    let version: string;
    try {
        version = await runVersion(candidate.path, input.versionTimeoutMs ?? 10_000);
    } catch (error) {
        throw new BootstrapError(`Offline Sync sidecar at ${candidate.path} (from the ${from}) failed "--version": ${(error as Error).message}`);
    }
    if (version === '') {
        throw new BootstrapError(`Offline Sync sidecar at ${candidate.path} (from the ${from}) printed no version; is it the right program?`);
    }
    return { path: candidate.path, source: candidate.source, version };
}

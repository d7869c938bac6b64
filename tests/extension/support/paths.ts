/** Where things are, from the compiled test (out/tests/extension/support) or the source alike. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

function findRoot(start: string): string {
    let dir = start;
    while (!existsSync(path.join(dir, 'docs', 'protocol.md'))) {
        const parent = path.dirname(dir);
        if (parent === dir) {
            throw new Error(`repository root not found above ${start}`);
        }
        dir = parent;
    }
    return dir;
}

export const repoRoot = findRoot(__dirname);
export const distDir = path.join(repoRoot, 'dist');
export const sidecarBinary = path.join(distDir, 'sidecar', 'offline-sidecar');
export const syncServerBinary = path.join(distDir, 'sync-server', 'offline-sync-server');
export const bundledExtension = path.join(distDir, 'extension.js');

/** Tests that need built binaries fail (never skip) with this message when they are absent. */
export function requireBuilt(file: string): string {
    if (!existsSync(file)) {
        throw new Error(`${path.relative(repoRoot, file)} is missing: run \`npm run build\` first (CI builds before testing).`);
    }
    return file;
}

/** Every codicon the extension names (package.json, view models, glue) exists in @vscode/codicons. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './support/paths';

function knownCodicons(): Set<string> {
    const mapping = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules/@vscode/codicons/src/template/mapping.json'), 'utf8')) as Record<string, string[]>;
    return new Set(Object.values(mapping).flat());
}

function sources(): { file: string; text: string }[] {
    const dir = path.join(repoRoot, 'extension/src');
    const walk = (d: string): string[] =>
        readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    return [...walk(dir).filter((f) => f.endsWith('.ts')), path.join(repoRoot, 'package.json')].map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

/** `$(name)` / `$(name~spin)` in text, plus icon names the view models pass to ThemeIcon. */
function usedIcons(): Map<string, string> {
    const used = new Map<string, string>();
    for (const { file, text } of sources()) {
        for (const m of text.matchAll(/\$\(([a-z0-9-]+)(?:~[a-z]+)?\)/g)) {
            used.set(m[1] ?? '', path.relative(repoRoot, file));
        }
        for (const m of text.matchAll(/\bicon: '([a-z0-9-]+)(?:~[a-z]+)?'/g)) {
            used.set(m[1] ?? '', path.relative(repoRoot, file));
        }
        for (const m of text.matchAll(/^\s+(?:pending|syncing|succeeded|failed|conflict): '([a-z0-9-]+)(?:~[a-z]+)?',$/gm)) {
            used.set(m[1] ?? '', path.relative(repoRoot, file));
        }
    }
    return used;
}

describe('codicons', () => {
    it('finds the icons it is supposed to check', () => {
        const used = usedIcons();
        for (const expected of ['check', 'sync', 'debug-disconnect', 'circle-slash', 'warning', 'key', 'error', 'clock', 'circle-outline']) {
            assert.ok(used.has(expected), `${expected} not found in the sources: the scan is broken`);
        }
    });

    it('uses only codicons that exist', () => {
        const known = knownCodicons();
        const missing = [...usedIcons()].filter(([name]) => !known.has(name)).map(([name, file]) => `${name} (${file})`);
        assert.deepEqual(missing, []);
    });
});

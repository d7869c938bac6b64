/** Sync state → explorer decoration: every unfinished state distinct and explained; only trouble propagates. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { CacheState } from '../../extension/src/protocol';
import { documentDecoration } from '../../extension/src/viewModel/documentDecorationModel';
import { repoRoot } from './support/paths';

const unfinished: CacheState[] = ['pending', 'syncing', 'failed', 'conflict', 'localOnly'];

describe('document decorations', () => {
    it('gives each unfinished state its own 1–2 character badge and colour', () => {
        const models = unfinished.map((state) => documentDecoration(state));
        assert.ok(models.every((m) => m !== undefined));
        const badges = models.map((m) => m?.badge ?? '');
        assert.ok(badges.every((b) => b.length >= 1 && b.length <= 2), JSON.stringify(badges));
        assert.equal(new Set(badges).size, unfinished.length, 'badges are distinct');
        assert.equal(new Set(models.map((m) => m?.color)).size, unfinished.length, 'colours are distinct');
    });

    it('explains each state in its tooltip', () => {
        assert.match(documentDecoration('pending')?.tooltip ?? '', /waiting to sync/);
        assert.match(documentDecoration('syncing')?.tooltip ?? '', /being sent/);
        assert.match(documentDecoration('failed')?.tooltip ?? '', /failed/);
        assert.match(documentDecoration('conflict')?.tooltip ?? '', /conflict/);
        assert.match(documentDecoration('localOnly')?.tooltip ?? '', /never on the server/);
    });

    it('propagates to folders only what needs the user (failed, conflict)', () => {
        assert.deepEqual(unfinished.filter((s) => documentDecoration(s)?.propagate), ['failed', 'conflict']);
    });

    it('leaves synced documents undecorated', () => {
        assert.equal(documentDecoration('synced'), undefined);
        assert.equal(documentDecoration(undefined), undefined);
    });

    it('uses colours package.json contributes, with defaults for every theme kind', () => {
        const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
            contributes: { colors: { id: string; defaults: Record<string, string> }[] };
        };
        const contributed = new Map(manifest.contributes.colors.map((c) => [c.id, c.defaults]));
        for (const state of unfinished) {
            const defaults = contributed.get(documentDecoration(state)?.color ?? '');
            assert.ok(defaults, `${state}: colour not contributed`);
            assert.deepEqual(Object.keys(defaults).sort(), ['dark', 'highContrast', 'light']);
        }
    });
});

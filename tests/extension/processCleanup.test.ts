/** A sidecar that ignores shutdown must not outlive the window: killIfLingering against real processes. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { createFakeVscode, FakeLog, installFakeVscode } from './support/fakeVscode';

const uninstall = installFakeVscode(createFakeVscode());
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { killIfLingering } = require('../../extension/src/ctx') as typeof import('../../extension/src/ctx');

function child(script: string) {
    const proc = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const ready = new Promise<void>((resolve) => proc.stdout.once('data', () => resolve()));
    return { proc, ready };
}

describe('process cleanup', () => {
    after(() => uninstall());

    it('SIGKILLs a process that ignores SIGTERM', async () => {
        const { proc, ready } = child("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('up');");
        await ready;
        const log = new FakeLog('test');
        await killIfLingering(proc, log);
        assert.equal(proc.signalCode, 'SIGKILL');
        assert.ok(log.lines.some((l) => l.includes('still running after shutdown')));
    });

    it('stops at SIGTERM when that is enough', async () => {
        const { proc, ready } = child("setInterval(() => {}, 1000); console.log('up');");
        await ready;
        await killIfLingering(proc, new FakeLog('test'));
        assert.equal(proc.signalCode, 'SIGTERM');
    });

    it('leaves an exited process (and no process) alone', async () => {
        const { proc } = child("console.log('bye')");
        await new Promise((r) => proc.once('exit', r));
        await killIfLingering(proc, new FakeLog('test'));
        await killIfLingering(undefined, new FakeLog('test'));
        assert.equal(proc.exitCode, 0);
    });
});

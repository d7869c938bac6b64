/**
 * The conformance suite must pass against the reference server and fail, on the check of the broken rule, against a
 * server that breaks one rule: the real reference server behind a proxy that rewrites one kind of request or answer.
 * Needs dist/sync-server (npm run build).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '../extension/support/paths';
import { startSyncServer, SyncServer } from '../extension/support/syncServer';
import { Outcome } from './suite/check';
import { allChecks } from './suite/index';
import { runConformance } from './suite/run';
import { editJson, Mutation, startMutatingProxy } from './support/mutatingProxy';

const tokenA = 'conformance-a';
const tokenB = 'conformance-b';

interface Command { idempotencyKey?: string; entityId?: string; type?: string; payload?: unknown }
interface Row { entityId: string }

/** One broken rule each, and the check that must catch it. */
const mutants: { breaks: string; check: string; reason: RegExp; mutation: Mutation }[] = [
    {
        breaks: 'a resent idempotency key is applied again',
        check: 'idempotency.replay-returns-the-stored-result',
        reason: /the first command resent/,
        mutation: (() => {
            let request = 0;
            return {
                request: (url, body) => url.pathname !== '/sync/commands' ? body : editJson(body, (batch) => {
                    request++;
                    for (const c of (batch.commands ?? []) as Command[]) c.idempotencyKey = `${c.idempotencyKey}:${request}`;
                }),
            };
        })(),
    },
    {
        breaks: 'a resent key is recognised only when the rest of the command is the same',
        check: 'idempotency.replay-with-a-different-body-returns-the-stored-result',
        reason: /another payload/,
        mutation: {
            request: (url, body) => url.pathname !== '/sync/commands' ? body : editJson(body, (batch) => {
                for (const c of (batch.commands ?? []) as Command[]) {
                    const rest = createHash('sha256').update(JSON.stringify([c.entityId, c.type, c.payload])).digest('hex').slice(0, 8);
                    c.idempotencyKey = `${c.idempotencyKey}:${rest}`;
                }
            }),
        },
    },
    {
        breaks: 'the changes feed skips a row of a page',
        check: 'feed.pages-return-every-applied-command-once-in-order',
        reason: /the feed read in pages of 7/,
        mutation: {
            response: (url, answer) => {
                if (url.pathname === '/sync/changes') {
                    answer.body = editJson(answer.body, (page) => (page.changes as Row[] | undefined)?.splice(1, 1));
                }
            },
        },
    },
    {
        breaks: 'now and then a page leaves out a row its cursor passes, as a feed ordered by a sequence that commits late would',
        check: 'feed.concurrent-writers-are-seen-exactly-once',
        reason: /missing: \S/,
        mutation: (() => {
            let pages = 0;
            return {
                response: (url, answer) => {
                    if (url.pathname === '/sync/changes') {
                        answer.body = editJson(answer.body, (page) => {
                            const changes = page.changes as Row[] | undefined;
                            if (changes && changes.length > 0 && ++pages % 3 === 0) changes.shift();
                        });
                    }
                },
            };
        })(),
    },
    {
        breaks: "an empty page's cursor moves past since",
        check: 'feed.resuming-from-a-cursor-returns-only-what-came-after',
        reason: /a read at the end/,
        mutation: {
            response: (url, answer) => {
                if (url.pathname === '/sync/changes' && url.searchParams.has('since')) {
                    answer.body = editJson(answer.body, (page) => {
                        if (Array.isArray(page.changes) && page.changes.length === 0) page.cursor = String(BigInt(page.cursor as string) + 1n);
                    });
                }
            },
        },
    },
    {
        breaks: 'a conflict leaves out the current state',
        check: 'command.conflict-answers-the-current-state',
        reason: /must carry server/,
        mutation: {
            response: (url, answer) => {
                if (url.pathname === '/sync/commands') {
                    answer.body = editJson(answer.body, (response) => {
                        for (const result of (response.results ?? []) as { status: string; server?: unknown }[]) {
                            if (result.status === 'conflict') delete result.server;
                        }
                    });
                }
            },
        },
    },
    {
        breaks: 'a 401 leaves out WWW-Authenticate',
        check: 'auth.commands-without-a-valid-token-are-401',
        reason: /WWW-Authenticate is null/,
        mutation: { response: (_url, answer) => void (answer.status === 401 && answer.headers.delete('www-authenticate')) },
    },
    {
        breaks: 'a 429 leaves out Retry-After',
        check: 'limits.rate-limited-is-429-with-retry-after',
        reason: /expected Retry-After: 3, got none/,
        mutation: { response: (_url, answer) => void (answer.status === 429 && answer.headers.delete('retry-after')) },
    },
];

describe('conformance suite', () => {
    let dataDir: string;
    let server: SyncServer;

    before(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'conformance-'));
        server = await startSyncServer(dataDir, tokenA, ['--account', `other=${tokenB}`]);
    });

    after(async () => {
        await server?.stop();
        await rm(dataDir, { recursive: true, force: true });
    });

    async function runThrough(mutation: Mutation, only: string[] = []): Promise<Outcome[]> {
        const proxy = await startMutatingProxy(server.url, mutation);
        try {
            return await runConformance({ server: proxy.url, token: tokenA, token2: tokenB, admin: [server.url], only });
        } finally {
            await proxy.close();
        }
    }

    it('passes every check against the reference server through a proxy that changes nothing', async () => {
        const outcomes = await runThrough({});
        const notPassed = outcomes.filter((o) => o.status !== 'pass').map((o) => `${o.check.id}: ${'reason' in o ? o.reason : ''}`);
        assert.deepEqual(notPassed, []);
        assert.equal(outcomes.length, allChecks.length);
    });

    for (const mutant of mutants) {
        it(`fails ${mutant.check} when ${mutant.breaks}`, async () => {
            const [outcome] = await runThrough(mutant.mutation, [mutant.check]);
            assert.equal(outcome?.check.id, mutant.check);
            assert.equal(outcome.status, 'fail', `${mutant.check} did not catch it`);
            assert.match(outcome.reason, mutant.reason);
        });
    }

    it('the command line prints a FAIL line and a summary and exits 1 when a check fails', async () => {
        const proxy = await startMutatingProxy(server.url, mutants[0]!.mutation);
        try {
            const cli = path.join(__dirname, 'cli.js');
            const run = promisify(execFile)(process.execPath, [cli, '--server', proxy.url, '--token', tokenA, '--only', 'idempotency.replay-returns']);
            const error = (await run.then(() => undefined, (e: unknown) => e)) as { code?: number; stdout?: string } | undefined;
            assert.equal(error?.code, 1, 'exit code');
            assert.match(error.stdout ?? '', /^FAIL idempotency\.replay-returns-the-stored-result {2}\[Idempotency\]$/m);
            assert.match(error.stdout ?? '', /^conformance: 0 passed, 1 failed, 0 skipped$/m);
        } finally {
            await proxy.close();
        }
    });

    it('names for every check a section of docs/sync-protocol.md', () => {
        const headings = new Set(readFileSync(path.join(repoRoot, 'docs', 'sync-protocol.md'), 'utf8')
            .split('\n').filter((l) => l.startsWith('#')).map((l) => l.replace(/^#+\s*/, '').replaceAll('`', '').trim()));
        const unknown = allChecks.flatMap((c) => c.section.split(' › ').filter((part) => !headings.has(part)).map((part) => `${c.id}: ${part}`));
        assert.deepEqual(unknown, []);
        assert.equal(new Set(allChecks.map((c) => c.id)).size, allChecks.length, 'check ids are unique');
    });
});

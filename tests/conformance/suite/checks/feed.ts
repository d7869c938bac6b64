/** The changes feed: commit order, the cursor, paging and resuming, counts, and compaction's horizon. */
import { Check, command, del, put } from '../check';
import { ChangeRow, ChangesPage, CommandResult, expectJson, SyncClient, WireCommand } from '../http';
import { cursorValue, equal, expectError, expectStatus, ok, rowOf } from '../expect';

/** The rows the feed must hold for these commands: one per applied command, in the order they were applied. */
function rowsApplied(commands: WireCommand[], results: CommandResult[]): ChangeRow[] {
    return results.flatMap((result, i) => {
        if (result.status !== 'applied') {
            return [];
        }
        const c = commands[i]!;
        const deleted = c.type === 'document.delete.v1';
        return [{ entityId: c.entityId!, type: c.type!, version: result.version!, payload: deleted ? null : c.payload, deleted }];
    });
}

/** The documented cursor rules of every page read from `since`. */
function checkCursors(pages: ChangesPage[], since: string | undefined): void {
    let previous = since === undefined ? undefined : cursorValue(since, 'since');
    pages.forEach((page, i) => {
        const cursor = cursorValue(page.cursor, `page ${i}`);
        if (previous !== undefined) {
            ok(page.changes.length === 0 ? cursor === previous : cursor > previous,
                `page ${i} (${page.changes.length} rows) from since=${previous}: cursor ${cursor} must be ${page.changes.length === 0 ? 'equal to since' : 'greater than since'}`);
        }
        previous = cursor;
        ok(page.hasMore === (i < pages.length - 1), `page ${i} of ${pages.length}: hasMore ${page.hasMore}`);
    });
}

async function applyAll(client: SyncClient, ws: string, batches: WireCommand[][]): Promise<ChangeRow[]> {
    const expected: ChangeRow[] = [];
    for (const batch of batches) {
        expected.push(...rowsApplied(batch, await client.apply(ws, ...batch)));
    }
    return expected;
}

export const feedChecks: Check[] = [
    {
        id: 'feed.pages-return-every-applied-command-once-in-order',
        section: 'GET /sync/changes',
        rule: 'Paging with the cursor returns one row per applied command, in commit order, without gaps or repeats; cursors are canonical decimals that grow with every non-empty page; hasMore until the last page.',
        async run({ client, workspace }) {
            const ws = workspace();
            const first = Array.from({ length: 6 }, (_, i) => put(`e${i}`, { round: 1, i }));
            const expected = await applyAll(client, ws, [
                first,
                [put('e0', { round: 2 }), del('e3'), command({ idempotencyKey: 'r', type: 'test.reject.v1' }), first[1]!, put('e1', { round: 2 })],
                Array.from({ length: 33 }, (_, i) => (i % 7 === 6 ? del(`e${i % 10}`) : put(`e${i % 10}`, { round: 3, i }))),
            ]);
            const { rows, pages } = await client.readAll(ws, undefined, 7);
            equal(rows.map((r, i) => rowOf(r, `row ${i}`)), expected, 'the feed read in pages of 7');
            checkCursors(pages, undefined);
        },
    },
    {
        id: 'feed.resuming-from-a-cursor-returns-only-what-came-after',
        section: 'GET /sync/changes',
        rule: "Reading from a page's cursor returns exactly the rows committed after it; an empty page's cursor is since itself (or, without since, a starting point to pass next time).",
        async run({ client, workspace }) {
            const ws = workspace();
            const start = await client.page(ws);
            equal(start.changes.length, 0, 'rows of a new workspace');
            cursorValue(start.cursor, 'the cursor of an empty first page');
            const before = await applyAll(client, ws, [[put('a', 1), put('b', 2), del('a')]]);
            const fromStart = await client.readAll(ws, start.cursor);
            equal(fromStart.rows.map((r, i) => rowOf(r, `row ${i}`)), before, 'rows after the empty first page\'s cursor');
            const atEnd = await client.page(ws, { since: fromStart.cursor });
            equal({ rows: atEnd.changes.length, cursor: atEnd.cursor, hasMore: atEnd.hasMore }, { rows: 0, cursor: fromStart.cursor, hasMore: false }, 'a read at the end');
            const after = await applyAll(client, ws, [[put('c', 3)], [put('b', 4), put('d', 5)]]);
            const resumed = await client.readAll(ws, fromStart.cursor, 2);
            equal(resumed.rows.map((r, i) => rowOf(r, `row ${i}`)), after, 'rows read from the earlier end cursor');
            checkCursors(resumed.pages, fromStart.cursor);
        },
    },
    {
        id: 'feed.only-applied-commands-add-rows',
        section: 'GET /sync/changes',
        rule: 'Duplicates, conflicts and rejections add no change row.',
        async run({ client, workspace }) {
            const ws = workspace();
            const applied = put('a', { n: 1 });
            await client.apply(ws, applied);
            await client.apply(ws, applied, put('a', {}, { expectedVersion: 0 }), put('a', null), command({ idempotencyKey: 'k', type: 'no.such.type', entityId: 'a' }));
            equal((await client.readAll(ws)).rows.map((r) => `${r.entityId} ${r.version}`), ['a 1'], 'change rows');
        },
    },
    {
        id: 'feed.workspaces-are-separate',
        section: 'GET /sync/changes',
        rule: "A workspace's feed and entities hold only its own changes, even for the same entity ids written at the same time elsewhere.",
        async run({ client, workspace }) {
            const [one, two] = [workspace(), workspace()];
            const expected: Record<string, ChangeRow[]> = { [one]: [], [two]: [] };
            for (let round = 0; round < 3; round++) {
                for (const ws of [one, two]) {
                    expected[ws]!.push(...(await applyAll(client, ws, [[put('shared', { ws, round }), put(`only-${ws}`, { round })]])));
                }
            }
            for (const ws of [one, two]) {
                equal((await client.readAll(ws)).rows.map((r, i) => rowOf(r, `row ${i}`)), expected[ws], `the feed of ${ws}`);
            }
            expectStatus(await client.entity(two, `only-${one}`), 404, "an entity of another workspace");
        },
    },
    {
        id: 'feed.count-adds-remaining',
        section: 'GET /sync/changes',
        rule: 'count=true adds remaining: the rows after since, this page included; remaining is absent otherwise.',
        async run({ client, workspace }) {
            const ws = workspace();
            await client.apply(ws, ...Array.from({ length: 12 }, (_, i) => put(`d${i % 5}`, { i })));
            const first = await client.page(ws, { limit: 5, count: true });
            const second = await client.page(ws, { since: first.cursor, limit: 5, count: true });
            const uncounted = await client.page(ws, { since: first.cursor, limit: 5 });
            const countFalse = await client.page(ws, { limit: 5, count: false });
            const end = await client.readAll(ws);
            const atEnd = await client.page(ws, { since: end.cursor, count: true });
            equal([first.remaining, second.remaining, atEnd.remaining], [12, 7, 0], 'remaining from the start, after 5 rows, at the end');
            ok(!('remaining' in uncounted) && !('remaining' in countFalse), 'remaining must be absent without count=true');
        },
    },
    {
        id: 'feed.queries-the-server-did-not-issue-are-400',
        section: 'GET /sync/changes › Whole-request answers',
        rule: 'No workspaceId, a limit that is not a positive integer or a count other than true/false is 400 invalid_request; a since that is not a canonical decimal is 400 invalid_cursor.',
        async run({ client, workspace }) {
            const ws = workspace();
            expectError(await client.request('GET', '/sync/changes'), 400, 'invalid_request', 'GET /sync/changes without workspaceId');
            for (const query of ['limit=0', 'limit=-1', 'limit=many', 'count=yes', 'count=1']) {
                expectError(await client.request('GET', `/sync/changes?workspaceId=${ws}&${query}`), 400, 'invalid_request', `GET /sync/changes?${query}`);
            }
            for (const since of ['007', '-1', '+5', '1e3', 'abc', ' 1']) {
                expectError(await client.changes(ws, { since }), 400, 'invalid_cursor', `GET /sync/changes?since=${JSON.stringify(since)}`);
            }
        },
    },
    {
        id: 'feed.limit-is-capped-at-1000',
        section: 'GET /sync/changes',
        rule: 'A limit above 1000 is served as 1000 rows (with hasMore when there are more).',
        async run({ client, health, workspace }) {
            const ws = workspace();
            const perBatch = Math.min(health.maxBatchCommands, 500);
            for (let written = 0; written < 1001; written += perBatch) {
                await client.apply(ws, ...Array.from({ length: Math.min(perBatch, 1001 - written) }, (_, i) => put(`d${written + i}`, {})));
            }
            const page = await client.page(ws, { limit: 5000 });
            equal({ rows: page.changes.length, hasMore: page.hasMore }, { rows: 1000, hasMore: true }, 'a page asked with limit=5000 of 1001 rows');
        },
    },
    {
        id: 'feed.concurrent-writers-are-seen-exactly-once',
        section: 'GET /sync/changes',
        rule: 'With many writers at once (through every replica), a reader following the feed sees every applied change exactly once and each entity\'s versions in order: no change that commits late is skipped.',
        async run({ client, workspace }) {
            const ws = workspace();
            const writers = 8;
            const batches = 6;
            let writing = true;
            const write = async (w: number): Promise<ChangeRow[]> => {
                const rows: ChangeRow[] = [];
                for (let b = 0; b < batches; b++) {
                    const batch = [put('shared', { w, b }), put(`w${w}-${b % 2}`, { w, b }), put(`w${w}-${b % 2}`, { w, b, again: true }), put('shared', { w, b, again: true })];
                    rows.push(...rowsApplied(batch, await client.apply(ws, ...batch)));
                }
                return rows;
            };
            const seen: ChangeRow[] = [];
            const follow = async (): Promise<void> => {
                let cursor: string | undefined;
                let previous: bigint | undefined;
                for (;;) {
                    const stillWriting = writing;
                    const page = await client.page(ws, { since: cursor, limit: 10 });
                    const value = cursorValue(page.cursor, 'a cursor read during the writes');
                    ok(previous === undefined || value >= previous, `the cursor went back from ${previous} to ${value}`);
                    previous = value;
                    cursor = page.cursor;
                    seen.push(...page.changes);
                    if (!stillWriting && !page.hasMore) {
                        return;
                    }
                }
            };
            const reader = follow();
            reader.catch(() => undefined); // awaited below, once the writers are done
            let written: ChangeRow[];
            try {
                written = (await Promise.all(Array.from({ length: writers }, (_, w) => write(w)))).flat();
            } finally {
                writing = false;
            }
            await reader;
            const key = (r: ChangeRow) => `${r.entityId}@${r.version}`;
            const counts = new Map<string, number>();
            for (const row of seen) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
            const repeated = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
            const missing = written.filter((r) => !counts.has(key(r))).map(key);
            ok(repeated.length === 0 && missing.length === 0,
                `the reader saw ${seen.length} rows for ${written.length} applied commands; missing: ${missing.slice(0, 10).join(', ') || 'none'}; repeated: ${repeated.slice(0, 10).join(', ') || 'none'}`);
            ok(seen.length === written.length, `the reader saw ${seen.length} rows for ${written.length} applied commands`);
            const last = new Map<string, number>();
            for (const row of seen) {
                ok(row.version === (last.get(row.entityId) ?? 0) + 1, `${row.entityId}: version ${row.version} after ${last.get(row.entityId) ?? 0} in feed order`);
                last.set(row.entityId, row.version);
            }
        },
    },
    {
        id: 'feed.compaction-expires-cursors-below-the-horizon',
        section: 'GET /sync/changes › Compaction and the feed horizon',
        rule: 'After compaction purged a delete, a since below the horizon is 410 cursor_expired (no Retry-After); cursors at or above it are served; a read from the beginning holds each live entity\'s latest row and no purged one.',
        async run({ client, needAdmin, workspace }) {
            const admin = needAdmin('compacting a feed (POST /admin/compact)');
            const ws = workspace();
            await client.apply(ws, put('a', { v: 1 }), put('a', { v: 2 }), put('b', { v: 1 }), del('b'), put('c', { v: 1 }));
            const early = await client.page(ws, { limit: 1 });
            const end = await client.readAll(ws);
            const { horizon } = await admin.compact(ws);
            cursorValue(horizon, 'the horizon POST /admin/compact answered');
            const expired = await client.changes(ws, { since: early.cursor });
            expectError(expired, 410, 'cursor_expired', `GET /sync/changes?since=${early.cursor} (below the horizon ${horizon})`);
            ok(expired.headers.get('retry-after') === null, '410 cursor_expired must have no Retry-After');
            expectStatus(await client.changes(ws, { since: end.cursor }), 200, `GET /sync/changes?since=${end.cursor} (the end cursor, above the horizon)`);
            expectStatus(await client.changes(ws, { since: horizon }), 200, `GET /sync/changes?since=${horizon} (the horizon itself)`);
            const again = await client.readAll(ws, undefined, 1);
            equal(again.rows.map((r) => `${r.entityId} ${r.version}`), ['a 2', 'c 1'], 'a read from the beginning after compaction');
            const b = expectJson<ChangeRow>(await client.entity(ws, 'b'), 200, 'GET /sync/entity of the purged entity');
            equal(rowOf(b, 'entity b'), { entityId: 'b', type: 'document.delete.v1', version: 2, payload: null, deleted: true }, 'a purged entity still reads as deleted');
        },
    },
];

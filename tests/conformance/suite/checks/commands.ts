/** Command types, versions and conflicts. */
import { Check, del, put, statusVersion } from '../check';
import { ChangeRow, expectJson, ServerState } from '../http';
import { equal, ok, rowOf } from '../expect';

export const commandChecks: Check[] = [
    {
        id: 'command.every-applied-command-adds-one-version',
        section: 'Versions and conflicts',
        rule: 'An entity is at version 0 before it exists and every applied put or delete adds exactly 1; a delete of a missing entity applies; a put revives a deleted one.',
        async run({ client, workspace }) {
            const ws = workspace();
            const results = await client.apply(ws, put('a', { n: 1 }), put('a', { n: 2 }), del('a'), del('never-written'));
            equal(statusVersion(results), ['applied 1', 'applied 2', 'applied 3', 'applied 1'], 'put, put, delete of a; delete of a missing entity');
            const deleted = expectJson<ChangeRow>(await client.entity(ws, 'a'), 200, 'GET /sync/entity of a deleted entity');
            equal(rowOf(deleted, 'deleted entity'), { entityId: 'a', type: 'document.delete.v1', version: 3, payload: null, deleted: true }, 'a deleted entity');
            equal(statusVersion(await client.apply(ws, put('a', { n: 4 }))), ['applied 4'], 'a put reviving a deleted entity');
            const revived = expectJson<ChangeRow>(await client.entity(ws, 'a'), 200, 'GET /sync/entity of a revived entity');
            equal(rowOf(revived, 'revived entity'), { entityId: 'a', type: 'document.put.v1', version: 4, payload: { n: 4 }, deleted: false }, 'a revived entity');
        },
    },
    {
        id: 'command.a-batch-applies-in-order',
        section: 'Versions and conflicts',
        rule: 'Commands of a batch apply in order, each seeing the ones before it: put then put expecting version 1 of a new entity applies both.',
        async run({ client, workspace }) {
            const ws = workspace();
            const results = await client.apply(ws, put('n', { first: true }), put('n', { second: true }, { expectedVersion: 1 }),
                put('m', {}, { expectedVersion: 0 }), put('m', {}, { expectedVersion: 0 }));
            equal(statusVersion(results), ['applied 1', 'applied 2', 'applied 1', 'conflict version_mismatch'], 'results');
        },
    },
    {
        id: 'command.conflict-answers-the-current-state',
        section: 'Versions and conflicts',
        rule: 'expectedVersion ≠ current version is a conflict (version_mismatch) with server {version, payload, deleted} (payload present and null when missing or deleted); nothing is applied.',
        async run({ client, workspace }) {
            const ws = workspace();
            await client.apply(ws, put('x', { title: 'theirs' }));
            const cases: [string, ReturnType<typeof put>, ServerState][] = [
                ['an existing entity', put('x', { title: 'mine' }, { expectedVersion: 0 }), { version: 1, payload: { title: 'theirs' }, deleted: false }],
                ['a missing entity', put('y', { title: 'mine' }, { expectedVersion: 3 }), { version: 0, payload: null, deleted: false }],
            ];
            for (const [what, conflicting, server] of cases) {
                const [result] = await client.apply(ws, conflicting);
                ok(result!.status === 'conflict' && result!.code === 'version_mismatch' && typeof result!.message === 'string',
                    `${what}: expected conflict version_mismatch with a message, got ${JSON.stringify(result)}`);
                ok(result!.server !== undefined && 'payload' in result!.server, `${what}: the conflict must carry server with payload: ${JSON.stringify(result)}`);
                equal(result!.server, server, `${what}: server state in the conflict`);
            }
            await client.apply(ws, del('x'));
            const [onDeleted] = await client.apply(ws, put('x', {}, { expectedVersion: 0 }));
            ok(onDeleted!.status === 'conflict', `expectedVersion 0 on a deleted entity: expected conflict, got ${JSON.stringify(onDeleted)}`);
            equal(onDeleted!.server, { version: 2, payload: null, deleted: true }, 'server state of a deleted entity in a conflict');
            equal((await client.page(ws)).changes.length, 2, 'change rows (conflicts add none)');
        },
    },
    {
        id: 'command.a-conflict-is-not-recorded-under-its-key',
        section: 'Versions and conflicts',
        rule: 'A conflict leaves no idempotency record: the same key resent with the right expectedVersion is applied.',
        async run({ client, workspace, key }) {
            const ws = workspace();
            await client.apply(ws, put('z', { v: 1 }));
            const k = key();
            equal(statusVersion(await client.apply(ws, put('z', { v: 2 }, { idempotencyKey: k, expectedVersion: 0 }))), ['conflict version_mismatch'], 'first send');
            equal(statusVersion(await client.apply(ws, put('z', { v: 2 }, { idempotencyKey: k, expectedVersion: 1 }))), ['applied 2'], 'the same key after resolving');
        },
    },
    {
        id: 'command.payloads-round-trip',
        section: 'Command types',
        rule: 'document.put.v1 stores any JSON value but null as given; the entity read and the feed return it unchanged.',
        async run({ client, workspace }) {
            const ws = workspace();
            const payloads: unknown[] = [
                { nested: { list: [1, 2.5, -300, true, null], empty: {} }, text: 'é ✓ 𝄞 "quoted" \\ \n\t\u0000' },
                'just a string',
                42,
                [1, 'two', { three: 3 }],
                {},
                false,
            ];
            await client.apply(ws, ...payloads.map((payload, i) => put(`p${i}`, payload)));
            const { rows } = await client.readAll(ws);
            for (const [i, payload] of payloads.entries()) {
                const entity = expectJson<ChangeRow>(await client.entity(ws, `p${i}`), 200, `GET /sync/entity p${i}`);
                equal(entity.payload, payload, `payload ${i} read back from GET /sync/entity`);
                equal(rows.find((r) => r.entityId === `p${i}`)?.payload, payload, `payload ${i} read back from the feed`);
            }
        },
    },
];

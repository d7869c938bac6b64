/** Idempotency keys: the stored result on replay, whatever the replay contains. */
import { Check, del, put, Skip, statusVersion } from '../check';
import { expectJson, ServerState } from '../http';
import { equal, expectStatus, ok } from '../expect';

export const idempotencyChecks: Check[] = [
    {
        id: 'idempotency.replay-returns-the-stored-result',
        section: 'Idempotency',
        rule: 'A resent key answers duplicate with the version its original application produced (not the current one) and applies nothing; so does a resent batch.',
        async run({ client, workspace }) {
            const ws = workspace();
            const first = put('a', { v: 1 });
            equal(statusVersion(await client.apply(ws, first)), ['applied 1'], 'first send');
            equal(statusVersion(await client.apply(ws, put('a', { v: 2 }))), ['applied 2'], 'another command on the entity');
            equal(statusVersion(await client.apply(ws, first)), ['duplicate 1'], 'the first command resent');
            const batch = [put('b', { v: 1 }), put('c', { v: 1 }), del('b')];
            equal(statusVersion(await client.apply(ws, ...batch)), ['applied 1', 'applied 1', 'applied 2'], 'a batch');
            equal(statusVersion(await client.apply(ws, ...batch)), ['duplicate 1', 'duplicate 1', 'duplicate 2'], 'the same batch resent');
            equal(expectJson<ServerState>(await client.entity(ws, 'a'), 200, 'entity a').version, 2, 'version of a after the replay');
            equal((await client.readAll(ws)).rows.length, 5, 'change rows (replays add none)');
        },
    },
    {
        id: 'idempotency.replay-with-a-different-body-returns-the-stored-result',
        section: 'Idempotency',
        rule: 'The key alone decides: a recorded key resent with another payload, entity, type or expectedVersion is duplicate with the original version and changes nothing.',
        async run({ client, workspace, key }) {
            const ws = workspace();
            const k = key();
            equal(statusVersion(await client.apply(ws, put('a', { v: 'original' }, { idempotencyKey: k }))), ['applied 1'], 'first send');
            const replays = [
                put('a', { v: 'changed' }, { idempotencyKey: k }),
                put('a', { v: 'changed' }, { idempotencyKey: k, expectedVersion: 7 }),
                put('elsewhere', { v: 'changed' }, { idempotencyKey: k }),
                del('a', { idempotencyKey: k }),
            ];
            equal(statusVersion(await client.apply(ws, ...replays)), ['duplicate 1', 'duplicate 1', 'duplicate 1', 'duplicate 1'],
                'the key resent with another payload, an expectedVersion that would conflict, another entity, another type');
            const a = expectJson<ServerState>(await client.entity(ws, 'a'), 200, 'entity a');
            equal({ version: a.version, payload: a.payload, deleted: a.deleted }, { version: 1, payload: { v: 'original' }, deleted: false }, 'entity a after the replays');
            expectStatus(await client.entity(ws, 'elsewhere'), 404, 'the entity only a replay named');
            equal((await client.readAll(ws)).rows.length, 1, 'change rows (replays add none)');
        },
    },
    {
        id: 'idempotency.the-same-key-twice-in-one-batch-applies-once',
        section: 'Idempotency',
        rule: 'Two commands with the same key in one batch: the first is applied, the second is duplicate.',
        async run({ client, workspace, key }) {
            const ws = workspace();
            const k = key();
            equal(statusVersion(await client.apply(ws, put('a', { n: 1 }, { idempotencyKey: k }), put('b', { n: 2 }, { idempotencyKey: k }))),
                ['applied 1', 'duplicate 1'], 'results');
            expectStatus(await client.entity(ws, 'b'), 404, 'the entity of the duplicate');
        },
    },
    {
        id: 'idempotency.only-applied-commands-are-recorded',
        section: 'Idempotency',
        rule: 'Rejected and conflicting commands leave no record: the same key is evaluated afresh and applies once valid.',
        async run({ client, workspace, key }) {
            const ws = workspace();
            const k = key();
            equal(statusVersion(await client.apply(ws, put('a', null, { idempotencyKey: k }))), ['rejected validation_failed'], 'a put with a null payload');
            equal(statusVersion(await client.apply(ws, put('a', {}, { idempotencyKey: k, expectedVersion: 5 }))), ['conflict version_mismatch'], 'a conflicting put');
            equal(statusVersion(await client.apply(ws, put('a', {}, { idempotencyKey: k }))), ['applied 1'], 'the same key, now valid');
        },
    },
    {
        id: 'idempotency.a-retry-result-is-not-recorded',
        section: 'Idempotency',
        rule: 'A command answered retry (transient, this command only) was not applied and leaves no record: resent with the same key later, it applies.',
        async run({ client, needAdmin, workspace, key }) {
            const admin = needAdmin('provoking a retry result (the perCommandRetryRate fault)');
            const ws = workspace();
            const k = key();
            await admin.withFaults({ perCommandRetryRate: 1 }, async () => {
                const [result] = await client.apply(ws, put('a', { v: 1 }, { idempotencyKey: k }));
                equal(result!.status, 'retry', `a command under perCommandRetryRate 1: ${JSON.stringify(result)}`);
                ok(typeof result!.code === 'string' && typeof result!.message === 'string', `a retry result carries code and message: ${JSON.stringify(result)}`);
            });
            expectStatus(await client.entity(ws, 'a'), 404, 'the entity of the retry result (nothing applied)');
            equal(statusVersion(await client.apply(ws, put('a', { v: 1 }, { idempotencyKey: k }))), ['applied 1'], 'the same key resent');
        },
    },
    {
        id: 'idempotency.keys-belong-to-a-workspace',
        section: 'Idempotency',
        rule: 'The key space is (workspaceId, account, key): the same key in two workspaces applies in both.',
        async run({ client, workspace, key }) {
            const k = key();
            for (const ws of [workspace(), workspace()]) {
                equal(statusVersion(await client.apply(ws, put('a', {}, { idempotencyKey: k }))), ['applied 1'], `the key in workspace ${ws}`);
            }
        },
    },
    {
        id: 'idempotency.keys-belong-to-an-account',
        section: 'Idempotency',
        rule: 'Two accounts may use the same key for different commands in one workspace: both apply, and each resend is its own duplicate.',
        async run({ client, other, workspace, key }) {
            if (!other) {
                throw new Skip('needs a second account: pass --token2 (a token of another account)');
            }
            const ws = workspace();
            const mine = put('a', { by: 'me' }, { idempotencyKey: key() });
            const theirs = put('a', { by: 'them' }, { idempotencyKey: mine.idempotencyKey });
            equal(statusVersion(await client.apply(ws, mine)), ['applied 1'], 'the first account');
            equal(statusVersion(await other.apply(ws, theirs)), ['applied 2'], 'the second account, same key');
            equal(statusVersion(await client.apply(ws, mine)), ['duplicate 1'], 'the first account resending');
            equal(statusVersion(await other.apply(ws, theirs)), ['duplicate 2'], 'the second account resending');
        },
    },
];

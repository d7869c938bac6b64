/** Health, tokens, accounts and revoked access. */
import { Check, put, Skip } from '../check';
import { expectJson, Health } from '../http';
import { equal, expectError, expectStatus, ok } from '../expect';

const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export const accessChecks: Check[] = [
    {
        id: 'health.answers-without-a-token',
        section: 'GET /sync/health',
        rule: 'GET /sync/health needs no token and answers serverTime (ISO-8601 UTC, Z), protocolVersion 1, maxBatchCommands and maxBodyBytes.',
        async run({ client }) {
            const answer = await client.request('GET', '/sync/health', { token: null });
            const health = expectJson<Health>(answer, 200, 'GET /sync/health without a token');
            ok(typeof health.serverTime === 'string' && isoUtc.test(health.serverTime) && !Number.isNaN(Date.parse(health.serverTime)),
                `serverTime ${JSON.stringify(health.serverTime)} is not an ISO-8601 UTC time with Z`);
            equal(health.protocolVersion, 1, 'protocolVersion');
            ok(Number.isInteger(health.maxBatchCommands) && health.maxBatchCommands >= 1, `maxBatchCommands ${health.maxBatchCommands}`);
            ok(Number.isInteger(health.maxBodyBytes) && health.maxBodyBytes >= 1, `maxBodyBytes ${health.maxBodyBytes}`);
        },
    },
    {
        id: 'health.every-answer-has-a-date-header',
        section: 'GET /sync/health',
        rule: 'Every answer (health, commands, changes, entity, errors) carries the server time in its Date header.',
        async run({ client, workspace }) {
            const ws = workspace();
            const answers = {
                health: await client.request('GET', '/sync/health', { token: null }),
                commands: await client.postCommands(ws, [put('d', {})]),
                changes: await client.changes(ws),
                entity: await client.entity(ws, 'd'),
                error: await client.changes(ws, { limit: 0 }),
            };
            for (const [name, answer] of Object.entries(answers)) {
                const date = answer.headers.get('date');
                ok(date !== null && !Number.isNaN(Date.parse(date)), `${name} answer (${answer.status}): Date header ${JSON.stringify(date)}`);
            }
        },
    },
    {
        id: 'auth.commands-without-a-valid-token-are-401',
        section: 'Endpoints › Authentication',
        rule: 'A missing or unknown bearer token is answered 401 unauthorized with WWW-Authenticate: Bearer, and nothing is applied.',
        async run({ client, requiresToken, workspace }) {
            if (!requiresToken) {
                throw new Skip('no --token given: the server is taken to be open (no tokens)');
            }
            const ws = workspace();
            const attempts = {
                'no Authorization header': await client.postCommands(ws, [put('d', { by: 'nobody' })], { token: null }),
                'an unknown token': await client.postCommands(ws, [put('d', { by: 'stranger' })], { token: `${client.token}-wrong` }),
            };
            for (const [how, answer] of Object.entries(attempts)) {
                expectError(answer, 401, 'unauthorized', `POST /sync/commands with ${how}`);
                ok(/^bearer\b/i.test(answer.headers.get('www-authenticate') ?? ''),
                    `POST /sync/commands with ${how}: WWW-Authenticate is ${JSON.stringify(answer.headers.get('www-authenticate'))}, expected Bearer`);
            }
            expectStatus(await client.entity(ws, 'd'), 404, 'the entity a 401 batch named (nothing applied)');
            equal((await client.page(ws)).changes.length, 0, 'change rows after 401 batches');
        },
    },
    {
        id: 'auth.every-bearer-endpoint-is-401-without-a-token',
        section: 'Endpoints › Authentication',
        rule: 'Every /sync request but health needs the token: changes, entity, whoami and blobs answer 401 without it, and a 401 blob PUT stores nothing.',
        async run({ client, requiresToken, workspace }) {
            if (!requiresToken) {
                throw new Skip('no --token given: the server is taken to be open (no tokens)');
            }
            const ws = workspace();
            const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'; // SHA-256 of no bytes
            const hasWhoAmI = (await client.request('GET', '/sync/whoami')).status !== 404;
            const answers = {
                'GET /sync/changes': await client.changes(ws, {}, { token: null }),
                'GET /sync/entity': await client.entity(ws, 'd', { token: null }),
                'PUT /sync/blobs': await client.blob('PUT', ws, sha, Buffer.alloc(0), { token: null }),
                'HEAD /sync/blobs': await client.blob('HEAD', ws, sha, undefined, { token: null }),
                'GET /sync/blobs': await client.blob('GET', ws, sha, undefined, { token: null }),
                ...(hasWhoAmI ? { 'GET /sync/whoami': await client.request('GET', '/sync/whoami', { token: null }) } : {}),
            };
            for (const [what, answer] of Object.entries(answers)) {
                expectStatus(answer, 401, `${what} without a token`);
            }
            expectStatus(await client.blob('HEAD', ws, sha), 404, 'HEAD of the blob a 401 PUT sent (nothing stored)');
        },
    },
    {
        id: 'whoami.names-the-account',
        section: 'Endpoints › GET /sync/whoami',
        rule: 'GET /sync/whoami answers {"accountId"} of the token ("default" without tokens); two accounts have two ids. A server may lack it (404).',
        async run({ client, other, requiresToken }) {
            const answer = await client.request('GET', '/sync/whoami');
            if (answer.status === 404) {
                throw new Skip('the server has no GET /sync/whoami (404), which the protocol allows');
            }
            const me = expectJson<{ accountId?: unknown }>(answer, 200, 'GET /sync/whoami').accountId;
            ok(typeof me === 'string' && me.length > 0, `accountId ${JSON.stringify(me)}`);
            if (!requiresToken) {
                equal(me, 'default', 'accountId on a server without tokens');
            }
            if (other) {
                const them = expectJson<{ accountId?: unknown }>(await other.request('GET', '/sync/whoami'), 200, 'GET /sync/whoami with --token2').accountId;
                ok(typeof them === 'string' && them.length > 0 && them !== me, `the two tokens' accounts: ${JSON.stringify(me)} and ${JSON.stringify(them)} (must differ)`);
            }
        },
    },
    {
        id: 'access.revoked-is-403-and-applies-nothing',
        section: 'Endpoints › Access revoked vs. one command refused',
        rule: 'A token that is valid but not allowed gets 403 forbidden on commands, changes, entity and whoami, and nothing of the batch is applied.',
        async run({ client, needAdmin, workspace }) {
            const admin = needAdmin('provoking 403 (the forbidden fault)');
            const ws = workspace();
            await admin.withFaults({ forbidden: true }, async () => {
                expectError(await client.postCommands(ws, [put('d', {})]), 403, 'forbidden', 'POST /sync/commands while forbidden');
                expectError(await client.changes(ws), 403, 'forbidden', 'GET /sync/changes while forbidden');
                expectError(await client.entity(ws, 'd'), 403, 'forbidden', 'GET /sync/entity while forbidden');
                const whoami = await client.request('GET', '/sync/whoami');
                ok(whoami.status === 403 || whoami.status === 404, `GET /sync/whoami while forbidden: expected 403, got ${whoami.status}`);
            });
            expectStatus(await client.entity(ws, 'd'), 404, 'the entity a 403 batch named (nothing applied)');
        },
    },
];

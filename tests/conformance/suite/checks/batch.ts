/** The batch as a whole: its shape, its limits, the rate limit and outages. */
import { randomUUID } from 'node:crypto';
import { Check, command, put, Skip, statusVersion } from '../check';
import { CommandResult, expectJson } from '../http';
import { equal, expectError, expectRetryAfter, expectStatus, ok } from '../expect';

export const batchChecks: Check[] = [
    {
        id: 'batch.empty-batch-has-no-results',
        section: 'POST /sync/commands',
        rule: 'A batch may be empty: 200 with "results": [] and serverTime.',
        async run({ client, workspace }) {
            const body = expectJson<{ results?: unknown; serverTime?: unknown }>(await client.postCommands(workspace(), []), 200, 'an empty batch');
            equal(body.results, [], 'results of an empty batch');
            ok(typeof body.serverTime === 'string', `serverTime ${JSON.stringify(body.serverTime)}`);
        },
    },
    {
        id: 'batch.unknown-members-and-content-types-are-accepted',
        section: 'Sync protocol (sidecar ↔ sync server)',
        rule: 'Unknown members in requests are ignored, in the batch and in its commands, and the server does not insist on Content-Type: application/json.',
        async run({ client, workspace, key }) {
            const ws = workspace();
            const body = JSON.stringify({
                workspaceId: ws, clientId: 'conformance', futureOption: { nested: [1] },
                commands: [{ commandId: 'a', idempotencyKey: key(), type: 'document.put.v1', entityId: 'd', payload: { v: 1 }, priority: 'high' }],
            });
            const answer = await client.request('POST', '/sync/commands', { body, contentType: 'text/plain' });
            const results = expectJson<{ results?: CommandResult[] }>(answer, 200, 'a batch with unknown members, sent as text/plain').results;
            equal(statusVersion(results ?? []), ['applied 1'], 'its result');
        },
    },
    {
        id: 'batch.malformed-batches-are-400',
        section: 'POST /sync/commands › Whole-request answers',
        rule: 'A body that is not a JSON object, lacks workspaceId/clientId/commands, has a command without commandId or a repeated one, or a member of the wrong type is 400 invalid_request; nothing is applied.',
        async run({ client, workspace }) {
            const ws = workspace();
            const put1 = (extra: string) => `{"commandId":"a","idempotencyKey":"${randomUUID()}","type":"document.put.v1","entityId":"d","payload":{}${extra}}`;
            const bodies = [
                '{not json',
                'null',
                '[]',
                `{"clientId":"c","commands":[]}`,
                `{"workspaceId":"${ws}","commands":[]}`,
                `{"workspaceId":"${ws}","clientId":"c"}`,
                `{"workspaceId":"${ws}","clientId":"c","commands":[null]}`,
                `{"workspaceId":"${ws}","clientId":"c","commands":[{"idempotencyKey":"k","type":"document.put.v1","entityId":"d","payload":{}}]}`,
                `{"workspaceId":"${ws}","clientId":"c","commands":[${put1('')},${put1('')}]}`,
                `{"workspaceId":"${ws}","clientId":"c","commands":[${put1(',"expectedVersion":"3"')}]}`,
                `{"workspaceId":"${ws}","clientId":"c","commands":[${put1(',"createdAt":"yesterday"')}]}`,
            ];
            for (const body of bodies) {
                expectError(await client.request('POST', '/sync/commands', { body }), 400, 'invalid_request', `POST /sync/commands ${body}`);
            }
            expectStatus(await client.entity(ws, 'd'), 404, 'the entity the malformed batches named (nothing applied)');
        },
    },
    {
        id: 'batch.more-than-maxBatchCommands-is-413',
        section: 'POST /sync/commands › Whole-request answers',
        rule: 'More than maxBatchCommands (from health) commands is 413 batch_too_large, and none of them is applied.',
        async run({ client, health, workspace }) {
            if (health.maxBatchCommands > 20_000) {
                throw new Skip(`maxBatchCommands is ${health.maxBatchCommands}; the check sends at most 20,001 commands`);
            }
            const ws = workspace();
            const commands = Array.from({ length: health.maxBatchCommands + 1 }, (_, i) => put(`d${i}`, { i }));
            expectError(await client.postCommands(ws, commands), 413, 'batch_too_large', `a batch of ${commands.length} commands`);
            equal((await client.page(ws)).changes.length, 0, 'change rows after a 413 batch');
        },
    },
    {
        id: 'batch.body-over-maxBodyBytes-is-413',
        section: 'POST /sync/commands › Whole-request answers',
        rule: 'A body over maxBodyBytes (by less than 1 MiB, so it is read to its end) is answered 413 body_too_large, not a reset; nothing is applied.',
        async run({ client, health, workspace }) {
            if (health.maxBodyBytes > 64 * 1024 * 1024) {
                throw new Skip(`maxBodyBytes is ${health.maxBodyBytes}; the check sends at most 64 MiB`);
            }
            const ws = workspace();
            const head = `{"workspaceId":"${ws}","clientId":"c","commands":[{"commandId":"a","idempotencyKey":"${randomUUID()}","type":"document.put.v1","entityId":"big","payload":"`;
            const tail = '"}]}';
            const body = head + 'x'.repeat(health.maxBodyBytes + 4096 - head.length - tail.length) + tail;
            expectError(await client.request('POST', '/sync/commands', { body }), 413, 'body_too_large', `a body of ${body.length} bytes`);
            expectStatus(await client.entity(ws, 'big'), 404, 'the entity of the 413 body (nothing applied)');
        },
    },
    {
        id: 'batch.results-keep-request-order-and-rejections-stay-alone',
        section: 'POST /sync/commands › Result statuses',
        rule: 'One result per command in request order; each rejection carries its documented code and stops nothing else of the batch.',
        async run({ client, workspace }) {
            const ws = workspace();
            const commands = [
                put('e1', { n: 1 }),
                command({ idempotencyKey: randomUUID(), type: 'test.reject.v1' }),
                command({ idempotencyKey: randomUUID(), type: 'spreadsheet.merge.v9', entityId: 'e2', payload: {} }),
                command({ idempotencyKey: randomUUID(), type: 'document.put.v1', payload: {} }),
                put('e3', null),
                command({ type: 'document.put.v1', entityId: 'e3', payload: {} }),
                put('e3', {}, { expectedVersion: -1 }),
                put('e1', { n: 2 }),
            ];
            const results = await client.apply(ws, ...commands);
            const expected: [string, string | number][] = [
                ['applied', 1],
                ['rejected', 'validation_failed'],
                ['rejected', 'unknown_type'],
                ['rejected', 'entity_required'],
                ['rejected', 'validation_failed'],
                ['rejected', 'validation_failed'],
                ['rejected', 'validation_failed'],
                ['applied', 2],
            ];
            const what = ['put', 'test.reject.v1', 'an unknown type', 'a put without entityId', 'a put with a null payload', 'a command without idempotencyKey',
                'a negative expectedVersion', 'the put after the rejections'];
            results.forEach((result: CommandResult, i) => {
                const [status, detail] = expected[i]!;
                const actual = status === 'applied' ? result.version : result.code;
                ok(result.status === status && actual === detail && (status === 'applied' || typeof result.message === 'string'),
                    `result ${i} (${what[i]}): expected ${status} ${detail}, got ${JSON.stringify(result)}`);
            });
            expectStatus(await client.entity(ws, 'e3'), 404, 'e3, named only by rejected commands');
        },
    },
    {
        id: 'limits.rate-limited-is-429-with-retry-after',
        section: 'POST /sync/commands › Whole-request answers',
        rule: 'A rate-limited request is 429 rate_limited with Retry-After in whole seconds (commands, changes, entity) and applies nothing.',
        async run({ client, needAdmin, workspace }) {
            const admin = needAdmin('provoking 429 (the status429Rate fault)');
            const ws = workspace();
            await admin.withFaults({ status429Rate: 1, retryAfterSeconds: 3 }, async () => {
                const commands = await client.postCommands(ws, [put('d', {})]);
                expectError(commands, 429, 'rate_limited', 'POST /sync/commands under the rate limit');
                expectRetryAfter(commands, 3, 'POST /sync/commands under the rate limit');
                const changes = await client.changes(ws);
                expectError(changes, 429, 'rate_limited', 'GET /sync/changes under the rate limit');
                expectRetryAfter(changes, 3, 'GET /sync/changes under the rate limit');
                expectRetryAfter(await client.entity(ws, 'd'), 3, 'GET /sync/entity under the rate limit');
            });
            expectStatus(await client.entity(ws, 'd'), 404, 'the entity a 429 batch named (nothing applied)');
        },
    },
    {
        id: 'limits.unavailable-is-503-with-retry-after',
        section: 'POST /sync/commands › Whole-request answers',
        rule: 'A server that is up but not serving answers every /sync request, health included, 503 with Retry-After, and applies nothing.',
        async run({ client, needAdmin, workspace }) {
            const admin = needAdmin('provoking 503 (the unavailable fault)');
            const ws = workspace();
            await admin.withFaults({ unavailable: true, retryAfterSeconds: 2 }, async () => {
                const health = await client.request('GET', '/sync/health', { token: null });
                expectStatus(health, 503, 'GET /sync/health while unavailable');
                expectRetryAfter(health, 2, 'GET /sync/health while unavailable');
                const commands = await client.postCommands(ws, [put('d', {})]);
                expectError(commands, 503, 'unavailable', 'POST /sync/commands while unavailable');
                expectRetryAfter(commands, 2, 'POST /sync/commands while unavailable');
            });
            expectStatus(await client.entity(ws, 'd'), 404, 'the entity a 503 batch named (nothing applied)');
        },
    },
];

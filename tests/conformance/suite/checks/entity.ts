/** GET /sync/entity: one entity's current state, in the shape of its latest feed row. */
import { Check, del, put } from '../check';
import { ChangeRow, expectJson } from '../http';
import { equal, expectError, rowOf } from '../expect';

export const entityChecks: Check[] = [
    {
        id: 'entity.reads-like-its-latest-feed-row',
        section: 'GET /sync/entity',
        rule: "A live or deleted entity reads exactly like its latest changes row: type put when live, delete (payload present and null) when deleted.",
        async run({ client, workspace }) {
            const ws = workspace();
            await client.apply(ws, put('live', { v: 1 }), put('live', { v: 2 }), put('gone', { v: 1 }), del('gone'));
            const { rows } = await client.readAll(ws);
            for (const id of ['live', 'gone']) {
                const latest = rows.filter((r) => r.entityId === id).at(-1)!;
                const entity = expectJson<ChangeRow>(await client.entity(ws, id), 200, `GET /sync/entity ${id}`);
                equal(rowOf(entity, `entity ${id}`), rowOf(latest, `latest row of ${id}`), `entity ${id} against its latest feed row`);
            }
            equal(rowOf(expectJson<ChangeRow>(await client.entity(ws, 'gone'), 200, 'entity gone'), 'entity gone'),
                { entityId: 'gone', type: 'document.delete.v1', version: 2, payload: null, deleted: true }, 'a deleted entity');
        },
    },
    {
        id: 'entity.missing-is-404-and-bad-queries-are-400',
        section: 'GET /sync/entity',
        rule: 'An entity never written in this workspace (even if written in another) is 404 not_found; a missing or empty workspaceId or entityId is 400 invalid_request.',
        async run({ client, workspace }) {
            const [ws, elsewhere] = [workspace(), workspace()];
            await client.apply(elsewhere, put('d', {}));
            expectError(await client.entity(ws, 'never'), 404, 'not_found', 'an entity never written');
            expectError(await client.entity(ws, 'd'), 404, 'not_found', 'an entity written only in another workspace');
            for (const query of [`workspaceId=${ws}`, 'entityId=d', `workspaceId=${ws}&entityId=`, 'workspaceId=&entityId=d']) {
                expectError(await client.request('GET', `/sync/entity?${query}`), 400, 'invalid_request', `GET /sync/entity?${query}`);
            }
        },
    },
    {
        id: 'entity.any-entity-id-round-trips',
        section: 'GET /sync/entity',
        rule: 'Any id a command may use (slashes, spaces, ?, #, %, non-ASCII) is read back by GET /sync/entity (URL-encoded) and in the feed unchanged.',
        async run({ client, workspace }) {
            const ws = workspace();
            const ids = ['folder/sub dir/doc.md', 'q?x=1&y=2#frag', '100% sure', 'é ✓ 𝄞', ' leading and trailing ', '..'];
            await client.apply(ws, ...ids.map((id) => put(id, { id })));
            equal((await client.readAll(ws)).rows.map((r) => r.entityId), ids, 'entity ids in the feed');
            for (const id of ids) {
                const entity = expectJson<ChangeRow>(await client.entity(ws, id), 200, `GET /sync/entity ${JSON.stringify(id)}`);
                equal({ entityId: entity.entityId, payload: entity.payload }, { entityId: id, payload: { id } }, `entity ${JSON.stringify(id)}`);
            }
        },
    },
];

/** Attachments: blobs named by their SHA-256, per workspace, and commands that name them. */
import { createHash, randomBytes } from 'node:crypto';
import { Check, put, statusVersion } from '../check';
import { equal, expectError, expectStatus, ok } from '../expect';

function blob(): { bytes: Buffer; sha256: string } {
    const bytes = randomBytes(3000);
    return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export const blobChecks: Check[] = [
    {
        id: 'blobs.stored-once-per-workspace-checked-and-read-back',
        section: 'Attachments',
        rule: 'PUT /sync/blobs/{sha256} stores (201) or finds (200) the bytes; HEAD is 200 only in the workspace holding it, else 404; GET returns the bytes; a body of another hash is 400 hash_mismatch; a bad address or no workspaceId is 400 invalid_request.',
        async run({ client, workspace }) {
            const [ws, elsewhere] = [workspace(), workspace()];
            const { bytes, sha256 } = blob();
            expectStatus(await client.blob('HEAD', ws, sha256), 404, 'HEAD before the PUT');
            expectStatus(await client.blob('PUT', ws, sha256, bytes), 201, 'the first PUT');
            expectStatus(await client.blob('PUT', ws, sha256, bytes), 200, 'the same PUT again');
            expectStatus(await client.blob('HEAD', ws, sha256), 200, 'HEAD after the PUT');
            const read = await client.blob('GET', ws, sha256);
            expectStatus(read, 200, 'GET of the blob');
            ok(read.body.equals(bytes), `GET of the blob returned ${read.body.length} bytes that differ from the ${bytes.length} stored`);
            expectStatus(await client.blob('HEAD', elsewhere, sha256), 404, 'HEAD in another workspace');
            const other = blob();
            expectError(await client.blob('PUT', ws, other.sha256, bytes), 400, 'hash_mismatch', 'PUT of bytes under another hash');
            expectStatus(await client.blob('HEAD', ws, other.sha256), 404, 'HEAD of the hash a mismatched PUT named (nothing stored)');
            expectError(await client.blob('PUT', ws, sha256.toUpperCase(), bytes), 400, 'invalid_request', 'PUT at an upper-case address');
            expectError(await client.blob('PUT', undefined, sha256, bytes), 400, 'invalid_request', 'PUT without workspaceId');
        },
    },
    {
        id: 'blobs.a-command-naming-a-missing-blob-is-rejected-alone',
        section: 'Attachments',
        rule: 'A command naming a blob its workspace does not hold is rejected attachment_missing without touching its entity, its neighbours apply; once the blob is PUT the same key applies.',
        async run({ client, workspace, key }) {
            const ws = workspace();
            const { bytes, sha256 } = blob();
            const k = key();
            const attached = () => put('with-file', { v: 1 }, { idempotencyKey: k, attachments: [{ sha256, name: 'scan.bin', mediaType: 'application/octet-stream', size: bytes.length }] });
            equal(statusVersion(await client.apply(ws, attached(), put('neighbour', {}))), ['rejected attachment_missing', 'applied 1'], 'before the PUT');
            expectStatus(await client.entity(ws, 'with-file'), 404, 'the entity of the rejected command');
            expectStatus(await client.blob('PUT', ws, sha256, bytes), 201, 'the PUT');
            equal(statusVersion(await client.apply(ws, attached())), ['applied 1'], 'the same key after the PUT');
            const malformed = put('bad-file', {}, { attachments: [{ sha256: 'not-a-hash', name: 'x', size: 1 }] });
            equal(statusVersion(await client.apply(ws, malformed)), ['rejected validation_failed'], 'an attachment whose sha256 is not 64 hex digits');
        },
    },
];

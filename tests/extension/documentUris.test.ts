/** offline-sync://<workspaceId>/<entityId> ↔ entity ids, and the refusal of another workspace's documents. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as paths from '../../extension/src/documents/documentPaths';
import { createFakeVscode, FileSystemError, installFakeVscode, Uri } from './support/fakeVscode';

const uninstall = installFakeVscode(createFakeVscode());
// eslint-disable-next-line @typescript-eslint/no-require-imports
const uris = require('../../extension/src/documents/documentUris') as typeof import('../../extension/src/documents/documentUris');

describe('document URIs', () => {
    after(uninstall);

    it('puts the workspace id in the authority and the entity id in the path', () => {
        const uri = uris.documentUri('ws-1', 'notes/meeting.md');
        assert.equal(uri.scheme, 'offline-sync');
        assert.equal(uri.authority, 'ws-1');
        assert.equal(uri.path, '/notes/meeting.md');
        assert.equal(uris.entityIdOf(uri as never, 'ws-1'), 'notes/meeting.md');
    });

    it('maps the root, with or without its slash, to the empty id', () => {
        const root = uris.documentsRoot('ws-1');
        assert.equal(root.toString(), 'offline-sync://ws-1/');
        assert.equal(uris.entityIdOf(root as never, 'ws-1'), '');
        assert.equal(uris.entityIdOf(Uri.from({ scheme: 'offline-sync', authority: 'ws-1', path: '' }) as never, 'ws-1'), '');
        assert.equal(uris.entityIdOf(Uri.parse('offline-sync://ws-1/notes/') as never, 'ws-1'), 'notes');
    });

    it("refuses another workspace's documents as Unavailable, naming both ids and the setting", () => {
        assert.throws(
            () => uris.entityIdOf(Uri.parse('offline-sync://ws-other/notes/a.md') as never, 'ws-1'),
            (e: unknown) =>
                e instanceof FileSystemError && e.code === 'Unavailable' &&
                /"ws-other"/.test(e.message) && /"ws-1"/.test(e.message) && /offlineSync\.workspaceId/.test(e.message),
        );
        assert.equal(uris.isDocumentOf(Uri.parse('offline-sync://ws-other/a') as never, 'ws-1'), false);
        assert.equal(uris.isDocumentOf(Uri.parse('offline-sync://ws-1/a') as never, 'ws-1'), true);
    });

    it('refuses other schemes', () => {
        assert.throws(() => uris.entityIdOf(Uri.file('/tmp/a.md') as never, 'ws-1'), (e: unknown) => e instanceof FileSystemError && e.code === 'Unavailable');
        assert.equal(uris.isDocumentOf(Uri.file('/ws-1/a') as never, 'ws-1'), false);
    });

    it('names parents, base names and children the way the sidecar lists them', () => {
        assert.equal(paths.parentId('notes/2026/a.md'), 'notes/2026');
        assert.equal(paths.parentId('a.md'), '');
        assert.equal(paths.baseName('notes/2026/a.md'), 'a.md');
        assert.equal(paths.folderPrefix(''), '');
        assert.equal(paths.folderPrefix('notes'), 'notes/');
        assert.equal(paths.childId('', 'a.md'), 'a.md');
        assert.equal(paths.childId('notes', 'a.md'), 'notes/a.md');
    });
});

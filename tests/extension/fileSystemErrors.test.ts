/** Sidecar errors → the FileSystemErrors VS Code acts on (codes matter: FileNotFound orphans editors). */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc';
import { createFakeVscode, FileSystemError, installFakeVscode, Uri } from './support/fakeVscode';

const uninstall = installFakeVscode(createFakeVscode());
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toFileSystemError, isNotFound } = require('../../extension/src/documents/fileSystemErrors') as typeof import('../../extension/src/documents/fileSystemErrors');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SidecarNotRunningError } = require('../../extension/src/ctx') as typeof import('../../extension/src/ctx');

const uri = Uri.parse('offline-sync://ws-1/notes/a.md');
const map = (error: unknown) => toFileSystemError(error, uri as never) as unknown as FileSystemError;

describe('sidecar errors as file system errors', () => {
    after(uninstall);

    it('1001 (not found) is FileNotFound for the URI', () => {
        const error = map(new ResponseError(1001, 'not found: no document notes/a.md'));
        assert.equal(error.code, 'FileNotFound');
        assert.equal(error.message, 'offline-sync://ws-1/notes/a.md');
        assert.equal(isNotFound(new ResponseError(1001, 'x')), true);
        assert.equal(isNotFound(new ResponseError(1007, 'x')), false);
    });

    it('1007 is Unavailable and says "not available offline"', () => {
        const said = map(new ResponseError(1007, 'notes/a.md is not available offline: its content was evicted'));
        assert.equal(said.code, 'Unavailable');
        assert.equal(said.message, 'notes/a.md is not available offline: its content was evicted');
        const unsaid = map(new ResponseError(1007, 'cannot pull: working offline'));
        assert.equal(unsaid.code, 'Unavailable');
        assert.match(unsaid.message, /^not available offline: cannot pull: working offline$/);
    });

    it('-32602 (a path the sidecar refuses) is FileNotFound carrying the reason', () => {
        const error = map(new ResponseError(-32602, "entityId: must not contain '.' or '..' segments"));
        assert.equal(error.code, 'FileNotFound');
        assert.match(error.message, /must not contain '\.' or '\.\.' segments/);
    });

    it("1004 (too large) is NoPermissions with the sidecar's whole message", () => {
        const error = map(new ResponseError(1004, 'payload: 2097200 bytes exceeds the limit of 1048576 bytes'));
        assert.equal(error.code, 'NoPermissions');
        assert.match(error.message, /2097200 bytes exceeds the limit of 1048576 bytes/);
    });

    it('a sidecar that is not running makes the documents Unavailable', () => {
        const error = map(new SidecarNotRunningError('binary not found'));
        assert.equal(error.code, 'Unavailable');
        assert.match(error.message, /not running: binary not found/);
    });

    it('keeps FileSystemErrors and the message of anything else', () => {
        const own = FileSystemError.FileExists(uri);
        assert.equal(map(own), own);
        const other = map(new ResponseError(1005, 'storage failure: disk I/O error'));
        assert.ok(other instanceof FileSystemError);
        assert.equal(other.code, 'Unknown');
        assert.equal(other.message, 'storage failure: disk I/O error');
    });
});

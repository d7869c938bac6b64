/** Which editor tabs belong to an operation's conflict Compare (closed after Resolve Conflict). */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createFakeVscode, installFakeVscode, Uri } from './support/fakeVscode';

const uninstall = installFakeVscode(createFakeVscode());
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isOperationTabInput, operationUri } = require('../../extension/src/operationDocuments') as typeof import('../../extension/src/operationDocuments');

describe('isOperationTabInput', () => {
    after(uninstall);
    const diff = (id: string) => ({ original: operationUri(id, 'server'), modified: operationUri(id, 'local') });

    it('matches the server ↔ local diff of that operation only', () => {
        assert.equal(isOperationTabInput(diff('op/1'), 'op/1'), true);
        assert.equal(isOperationTabInput(diff('op-2'), 'op/1'), false);
    });

    it('also matches the text diff of a document conflict', () => {
        const text = { original: operationUri('op-1', 'server', 'meeting.md'), modified: operationUri('op-1', 'local', 'meeting.md') };
        assert.equal(isOperationTabInput(text, 'op-1'), true);
        assert.equal(isOperationTabInput(text, 'op-2'), false);
        assert.equal(text.modified.path, '/op-1/local/meeting.md', 'named after the document, so the diff gets its language');
    });

    it('ignores other schemes, the details document and non-editor tabs', () => {
        assert.equal(isOperationTabInput({ original: Uri.file('/a/server.json'), modified: Uri.file('/a/local.json') }, 'a'), false);
        assert.equal(isOperationTabInput({ uri: operationUri('op-1', 'details') }, 'op-1'), false);
        assert.equal(isOperationTabInput({ uri: operationUri('op-1', 'local') }, 'op-1'), true);
        assert.equal(isOperationTabInput(undefined, 'op-1'), false);
        assert.equal(isOperationTabInput({ viewType: 'webview' }, 'op-1'), false);
    });
});

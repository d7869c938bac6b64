/** Text documents ↔ editor bytes, and the folders made with "New Folder…" (both pure). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmptyFolders } from '../../extension/src/documents/emptyFolders';
import { bytesOf, decodeText, textOf, textPayload } from '../../extension/src/documents/textPayload';

describe('text payloads', () => {
    it('reads the content of {content, encoding: utf-8}, with the encoding absent, null or in any case', () => {
        assert.equal(textOf(textPayload('hello')), 'hello');
        assert.equal(textOf({ content: 'a' }), 'a');
        assert.equal(textOf({ content: 'a', encoding: null }), 'a');
        assert.equal(textOf({ content: 'a', encoding: 'UTF-8' }), 'a');
    });

    it('treats anything else as data, not text', () => {
        for (const payload of [{ content: 'a', encoding: 'base64' }, { content: 42 }, { title: 'x' }, ['content'], 'text', null, undefined]) {
            assert.equal(textOf(payload), undefined, JSON.stringify(payload));
        }
        const json = bytesOf({ title: 'Demo' });
        assert.equal(json.isText, false);
        assert.equal(new TextDecoder().decode(json.bytes), '{\n  "title": "Demo"\n}\n');
    });

    it('round-trips UTF-8 byte for byte, a byte order mark included', () => {
        const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('héllo ✓\r\n')]);
        const text = decodeText(bytes);
        assert.equal(text, '\ufeffhéllo ✓\r\n');
        assert.deepEqual(bytesOf(textPayload(text ?? '')).bytes, bytes);
    });

    it('refuses invalid UTF-8 and NUL bytes as binary', () => {
        assert.equal(decodeText(new Uint8Array([0xff, 0xfe, 0x00, 0x41])), undefined);
        assert.equal(decodeText(new Uint8Array([0xc3])), undefined, 'a truncated sequence');
        assert.equal(decodeText(new TextEncoder().encode('a\u0000b')), undefined);
        assert.equal(decodeText(new Uint8Array()), '');
    });
});

describe('empty folders', () => {
    it('exist (with every folder above them) until a document is saved under them', () => {
        const folders = new EmptyFolders();
        folders.add('drafts/2026');
        assert.equal(folders.has('drafts/2026'), true);
        assert.equal(folders.has('drafts'), true);
        assert.equal(folders.has('draft'), false);
        assert.deepEqual(folders.childrenOf(''), ['drafts']);
        assert.deepEqual(folders.childrenOf('drafts'), ['2026']);
        folders.documentAt('drafts/other.md');
        assert.equal(folders.has('drafts/2026'), true, 'a document next to it does not fill it');
        folders.documentAt('drafts/2026/a.md');
        assert.equal(folders.has('drafts'), false);
    });

    it('move with a rename and vanish with a delete', () => {
        const folders = new EmptyFolders();
        folders.add('a/b');
        folders.add('a/c');
        folders.move('a', 'z');
        assert.deepEqual(folders.childrenOf('z').sort(), ['b', 'c']);
        assert.equal(folders.has('a'), false);
        assert.equal(folders.remove('z/b'), true);
        assert.deepEqual(folders.childrenOf('z'), ['c']);
        assert.equal(folders.remove('nothing'), false);
        assert.equal(folders.has(''), true, 'the root always exists');
    });
});

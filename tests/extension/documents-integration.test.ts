/**
 * The documents workspace of the BUNDLED extension (dist/extension.js) under a recording fake `vscode`, against the
 * real sidecar and the real reference sync server: the `offline-sync:` file system, its change events, decorations
 * and the document commands, through a pull, the server going down, saves, deletes, renames, its coming back, a
 * change made by another client, and a conflict.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OfflineSyncApi } from '../../extension/src/api';
import type { Operation, PullResult, ResolveAllResult, SyncStatus } from '../../extension/src/protocol';
import { BundledExtension, startBundledExtension } from './support/bundledExtension';
import { FileChangeType, FileDecoration, FilePermission, FileSystemError, FileType, Uri } from './support/fakeVscode';
import type { SyncServer } from './support/syncServer';

const Token = 'documents-token';
const Ws = 'docs-integration';

interface FileStat { type: FileType; ctime: number; mtime: number; size: number; permissions?: FilePermission }
interface FileSystem {
    stat(uri: Uri): Promise<FileStat>;
    readDirectory(uri: Uri): Promise<[string, FileType][]>;
    readFile(uri: Uri): Promise<Uint8Array>;
    writeFile(uri: Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void>;
    delete(uri: Uri, options: { recursive: boolean }): Promise<void>;
    rename(from: Uri, to: Uri, options: { overwrite: boolean }): Promise<void>;
    createDirectory(uri: Uri): Promise<void>;
    onDidChangeFile(listener: (events: { uri: Uri; type: FileChangeType }[]) => void): { dispose(): void };
}
interface Decorations {
    provideFileDecoration(uri: Uri): FileDecoration | undefined;
    onDidChangeFileDecorations(listener: (uris: Uri[]) => void): { dispose(): void };
}

const text = (content: string) => ({ content, encoding: 'utf-8' });
const bytes = (content: string) => new TextEncoder().encode(content);
const decode = (content: Uint8Array) => new TextDecoder().decode(content);
const uri = (entityId: string) => Uri.from({ scheme: 'offline-sync', authority: Ws, path: `/${entityId}` });
const root = Uri.from({ scheme: 'offline-sync', authority: Ws, path: '/' });
const isFsError = (code: string, message?: RegExp) => (e: unknown) =>
    e instanceof FileSystemError && e.code === code && (message === undefined || message.test(e.message));

describe('documents workspace: bundled extension + real sidecar + real sync server', { timeout: 300_000 }, () => {
    let harness: BundledExtension;
    let fake: BundledExtension['fake'];
    let server: SyncServer;
    let api: OfflineSyncApi;
    let fs: FileSystem;
    let decorations: Decorations;
    const statuses: SyncStatus[] = [];
    const fileChanges: { uri: string; type: FileChangeType }[] = [];
    const decorationChanges: string[] = [];

    const command = (id: string, ...args: unknown[]) => fake.module.commands.executeCommand(id, ...args);

    // A poll with a deadline: what these tests wait for (status bar text, the sidecar's processes, answers of the
    // real sidecar) raises no event the test could await.
    async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
        const deadline = Date.now() + ms;
        while (!(await check())) {
            if (Date.now() > deadline) {
                throw new Error(`timed out waiting for ${what}; last status ${JSON.stringify(statuses.at(-1))}; messages ${JSON.stringify(fake.messages)}`);
            }
            await new Promise((r) => setTimeout(r, 50));
        }
    }

    /** The unfinished operations of one document. */
    async function unfinished(entityId: string): Promise<Operation[]> {
        return (await api.listOperations({ entityId, statuses: ['pending', 'syncing', 'failed', 'conflict'] })).items;
    }

    /** An operation with its payload, through the extension's own read-only operation documents. */
    async function operationDocument(operationId: string, file: string): Promise<string> {
        const provider = fake.contentProviders.get('offline-sync-op');
        assert.ok(provider);
        return String(await provider.provideTextDocumentContent(Uri.from({ scheme: 'offline-sync-op', path: `/${operationId}/${file}` })));
    }

    const badge = (entityId: string) => decorations.provideFileDecoration(uri(entityId))?.badge;
    const untilBadge = (entityId: string, expected: string | undefined) =>
        until(`decoration ${String(expected)} on ${entityId}`, () => badge(entityId) === expected, 30_000);
    const settled = () => statuses.at(-1)?.counts;
    const untilQueueEmpty = (ms = 60_000) => until('an empty queue', () => {
        const counts = settled();
        return counts !== undefined && counts.pending + counts.syncing + counts.failed + counts.conflict === 0;
    }, ms);
    /** The sidecar learns the server is down from a request that fails: a pull asks it. */
    async function untilUnreachable(): Promise<void> {
        await command('offlineSync.pull');
        await until('the sidecar to see the server unreachable', () => statuses.at(-1)?.connectivity === 'unreachable');
    }

    before(async () => {
        harness = await startBundledExtension({
            name: 'offline-sync-documents',
            token: Token,
            settings: { syncMode: 'eager', workspaceId: Ws },
            seed: async (s) => {
                await s.putEntity(Ws, 'notes/meeting.md', text('# Meeting\n'));
                await s.putEntity(Ws, 'notes/todo.md', text('- write tests\n'));
                await s.putEntity(Ws, 'readme.md', text('Read me.\n'));
                await s.putEntity(Ws, 'data/settings.json', { theme: 'dark', size: 3 });
            },
        });
        ({ fake, server, api } = harness);
        api.onDidChangeStatus((status) => statuses.push(status));
        fs = fake.fileSystemProviders.get('offline-sync')?.provider as FileSystem;
        decorations = fake.decorationProviders[0] as Decorations;
        fs.onDidChangeFile((events) => fileChanges.push(...events.map((e) => ({ uri: e.uri.toString(), type: e.type }))));
        decorations.onDidChangeFileDecorations((uris) => decorationChanges.push(...uris.map((u) => u.toString())));
    });

    after(async () => {
        await harness?.stop();
    });

    it('registers a case-sensitive offline-sync: file system and a decoration provider', async () => {
        assert.deepEqual(fake.fileSystemProviders.get('offline-sync')?.options, { isCaseSensitive: true });
        assert.ok(decorations);
        await until('the sidecar to run and go online', () => fake.context.get('offlineSync.sidecarState') === 'running' && statuses.at(-1)?.connectivity === 'online');
    });

    it("refuses another workspace's documents as unavailable", async () => {
        await assert.rejects(fs.stat(Uri.parse('offline-sync://someone-else/notes/meeting.md')), isFsError('Unavailable', /someone-else/));
    });

    it('pulls the documents and lists them as folders and files', async () => {
        const result = (await command('offlineSync.pull')) as PullResult;
        assert.equal(result.complete, true, JSON.stringify(fake.messages));
        assert.ok(fake.messages.some((m) => /^Pulled \d+ changes? from the server\.$/.test(m.message)));
        assert.deepEqual((await fs.readDirectory(root)).sort(), [['data', FileType.Directory], ['notes', FileType.Directory], ['readme.md', FileType.File]]);
        assert.deepEqual((await fs.readDirectory(uri('notes'))).sort(), [['meeting.md', FileType.File], ['todo.md', FileType.File]]);
        assert.equal((await fs.stat(root)).type, FileType.Directory);
        assert.equal((await fs.stat(uri('notes'))).type, FileType.Directory);
        await assert.rejects(fs.readDirectory(uri('readme.md')), isFsError('FileNotADirectory'));
        await assert.rejects(fs.stat(uri('nothing/here.md')), isFsError('FileNotFound'));
    });

    it('reads a text document as its text, with its size and mtime', async () => {
        assert.equal(decode(await fs.readFile(uri('notes/meeting.md'))), '# Meeting\n');
        const stat = await fs.stat(uri('notes/meeting.md'));
        assert.equal(stat.type, FileType.File);
        assert.equal(stat.size, bytes('# Meeting\n').length);
        assert.ok(stat.mtime > 0 && stat.ctime === stat.mtime);
        assert.equal(stat.permissions, undefined);
    });

    it('shows a payload that is not a text document as its JSON, read-only once read', async () => {
        const settings = uri('data/settings.json');
        assert.deepEqual(JSON.parse(decode(await fs.readFile(settings))), { theme: 'dark', size: 3 });
        await until('a change event that makes VS Code stat it again', () => fileChanges.some((c) => c.uri === settings.toString()));
        assert.equal((await fs.stat(settings)).permissions, FilePermission.Readonly);
        await assert.rejects(fs.writeFile(settings, bytes('{}'), { create: true, overwrite: true }), isFsError('NoPermissions', /JSON/));
    });

    it('keeps reading while the server is down', async () => {
        await server.setFaults({ unavailable: true });
        await untilUnreachable();
        assert.equal(decode(await fs.readFile(uri('notes/todo.md'))), '- write tests\n');
        assert.equal((await fs.readDirectory(root)).length, 3);
    });

    it('coalesces two saves into ONE pending operation with the last text and the server version', async () => {
        const meeting = uri('notes/meeting.md');
        await fs.writeFile(meeting, bytes('draft 1\n'), { create: true, overwrite: true });
        await fs.writeFile(meeting, bytes('draft 2\n'), { create: true, overwrite: true });
        const [operation, ...more] = await unfinished('notes/meeting.md');
        assert.ok(operation);
        assert.deepEqual(more, []);
        assert.equal(operation.type, 'document.put.v1');
        assert.equal(operation.status, 'pending');
        assert.equal(operation.expectedVersion, 1);
        assert.equal(operation.dedupKey, 'notes/meeting.md');
        const details = JSON.parse(await operationDocument(operation.id, 'details.json')) as { operation: { payload: unknown } };
        assert.deepEqual(details.operation.payload, text('draft 2\n'));
        assert.equal(decode(await fs.readFile(meeting)), 'draft 2\n');
        await untilBadge('notes/meeting.md', 'P');
        assert.ok(decorationChanges.includes(meeting.toString()), 'the decoration change was announced');
    });

    it('refuses binary content and honours create/overwrite; a document too large is refused whole', async () => {
        await assert.rejects(fs.writeFile(uri('notes/image.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]), { create: true, overwrite: true }), isFsError('NoPermissions', /binary/));
        await assert.rejects(fs.writeFile(uri('notes/meeting.md'), bytes('x'), { create: true, overwrite: false }), isFsError('FileExists'));
        await assert.rejects(fs.writeFile(uri('notes/absent.md'), bytes('x'), { create: false, overwrite: true }), isFsError('FileNotFound'));
        await assert.rejects(fs.writeFile(uri('notes/big.md'), bytes('x'.repeat(1_200_000)), { create: true, overwrite: true }), isFsError('NoPermissions', /exceeds the limit/));
        assert.deepEqual(await unfinished('notes/big.md'), []);
        assert.deepEqual(await unfinished('notes/image.png'), []);
    });

    it('deletes a document, and saves it again on top of the version it was deleted at', async () => {
        await fs.delete(uri('readme.md'), { recursive: false });
        await assert.rejects(fs.stat(uri('readme.md')), isFsError('FileNotFound'));
        assert.deepEqual((await fs.readDirectory(root)).map(([name]) => name).sort(), ['data', 'notes']);
        await fs.writeFile(uri('readme.md'), bytes('Read me again.\n'), { create: true, overwrite: false });
        const operations = await unfinished('readme.md');
        assert.deepEqual(operations.map((o) => [o.type, o.expectedVersion]), [['document.delete.v1', 1], ['document.put.v1', 1]]);
    });

    it('renames a document as a put at the new path and a delete of the old one', async () => {
        await fs.rename(uri('notes/todo.md'), uri('archive/todo.md'), { overwrite: false });
        assert.deepEqual((await unfinished('archive/todo.md')).map((o) => [o.type, o.expectedVersion]), [['document.put.v1', 0]]);
        assert.deepEqual((await unfinished('notes/todo.md')).map((o) => [o.type, o.expectedVersion]), [['document.delete.v1', 1]]);
        assert.equal(decode(await fs.readFile(uri('archive/todo.md'))), '- write tests\n');
        await assert.rejects(fs.stat(uri('notes/todo.md')), isFsError('FileNotFound'));
        await untilBadge('archive/todo.md', 'L');
        await assert.rejects(fs.rename(uri('archive/todo.md'), uri('notes/meeting.md'), { overwrite: false }), isFsError('FileExists'));
    });

    it('makes empty folders, fills them, and deletes them with what they hold', async () => {
        await fs.createDirectory(uri('drafts'));
        assert.equal((await fs.stat(uri('drafts'))).type, FileType.Directory);
        assert.ok((await fs.readDirectory(root)).some(([name, type]) => name === 'drafts' && type === FileType.Directory));
        assert.deepEqual(await fs.readDirectory(uri('drafts')), []);
        await assert.rejects(fs.createDirectory(uri('drafts')), isFsError('FileExists'));
        await fs.writeFile(uri('drafts/idea.md'), bytes('an idea\n'), { create: true, overwrite: false });
        assert.deepEqual(await fs.readDirectory(uri('drafts')), [['idea.md', FileType.File]]);
        await fs.delete(uri('drafts'), { recursive: true });
        await assert.rejects(fs.stat(uri('drafts')), isFsError('FileNotFound'));
        await assert.rejects(fs.stat(uri('drafts/idea.md')), isFsError('FileNotFound'));
    });

    it('syncs it all once the server is back: the last text at version + 1', async () => {
        await server.setFaults({ unavailable: false });
        await command('offlineSync.syncNow');
        await untilQueueEmpty();
        assert.deepEqual(await server.entity(Ws, 'notes/meeting.md'), { version: 2, payload: text('draft 2\n'), deleted: false });
        assert.deepEqual(await server.entity(Ws, 'readme.md'), { version: 3, payload: text('Read me again.\n'), deleted: false });
        assert.deepEqual(await server.entity(Ws, 'archive/todo.md'), { version: 1, payload: text('- write tests\n'), deleted: false });
        assert.equal((await server.entity(Ws, 'notes/todo.md'))?.deleted, true);
        assert.equal((await server.entity(Ws, 'drafts/idea.md'))?.deleted, true);
        await untilBadge('notes/meeting.md', undefined);
        await untilBadge('archive/todo.md', undefined);
    });

    it('announces a change made by another client, with a later mtime', async () => {
        const meeting = uri('notes/meeting.md');
        const before = (await fs.stat(meeting)).mtime;
        const seen = fileChanges.length;
        await server.putEntity(Ws, 'notes/meeting.md', text('from elsewhere\n'));
        await command('offlineSync.pull');
        await until('a change event for the document', () => fileChanges.slice(seen).some((c) => c.uri === meeting.toString()));
        assert.ok((await fs.stat(meeting)).mtime > before);
        assert.equal(decode(await fs.readFile(meeting)), 'from elsewhere\n');
    });

    it('announces a document created by another client as Created, under a listed folder', async () => {
        await fs.readDirectory(uri('notes'));
        const seen = fileChanges.length;
        await server.putEntity(Ws, 'notes/new.md', text('new\n'));
        await command('offlineSync.pull');
        const created = uri('notes/new.md').toString();
        await until('a Created event', () => fileChanges.slice(seen).some((c) => c.uri === created && c.type === FileChangeType.Created));
    });

    it('decorates a conflicting edit; Resolve All merges only clean ones; Resolve Conflict on the file diffs the TEXT', async () => {
        const meeting = uri('notes/meeting.md');
        await command('offlineSync.workOffline');
        await fs.writeFile(meeting, bytes('mine\n'), { create: true, overwrite: true });
        await server.putEntity(Ws, 'notes/meeting.md', text('theirs\n'));
        await command('offlineSync.goOnline');
        await untilBadge('notes/meeting.md', 'C');
        assert.equal(decorations.provideFileDecoration(meeting)?.propagate, true);
        await until('the conflict context key', () => (fake.context.get('offlineSync.conflictDocuments') as string[] | undefined)?.includes(meeting.toString()) === true);

        fake.answers.push({ resolution: 'mergeClean' });
        assert.deepEqual((await command('offlineSync.resolveAll')) as ResolveAllResult, { resolved: 0, remaining: 1 });

        const [conflict] = await unfinished('notes/meeting.md');
        assert.ok(conflict);
        assert.equal(await operationDocument(conflict.id, 'server/meeting.md'), 'theirs\n');
        assert.equal(await operationDocument(conflict.id, 'local/meeting.md'), 'mine\n');
        fake.answers.push({ resolution: 'keepLocal' });
        assert.equal(await command('offlineSync.resolveConflict', meeting), 'keepLocal');
        const diff = fake.executed.filter((e) => e.command === 'vscode.diff').at(-1);
        assert.deepEqual((diff?.args.slice(0, 2) as Uri[]).map((u) => u.path), [`/${conflict.id}/server/meeting.md`, `/${conflict.id}/local/meeting.md`]);
        await untilQueueEmpty();
        assert.deepEqual(await server.entity(Ws, 'notes/meeting.md'), { version: 5, payload: text('mine\n'), deleted: false });
        await untilBadge('notes/meeting.md', undefined);
        await command('offlineSync.resolveConflict', meeting);
        assert.equal(fake.messages.at(-1)?.message, 'notes/meeting.md is not in conflict.');
    });

    it('keeps documents available offline on request (pin), and lets them go again', async () => {
        assert.equal(await command('offlineSync.pinDocument', uri('notes')), 2, 'both documents of the folder');
        assert.equal(await command('offlineSync.pinDocument', uri('notes/meeting.md')), 0, 'already pinned');
        assert.equal(await command('offlineSync.unpinDocument', uri('notes/meeting.md'), [uri('notes/meeting.md'), uri('archive/todo.md')]), 1);
    });

    it('adds the documents root as the last workspace folder, then only reveals it', async () => {
        assert.equal(await command('offlineSync.openDocuments'), 'added');
        const [update] = fake.workspaceFolderUpdates;
        assert.equal(update?.start, 1, 'after the existing folder');
        assert.equal(update?.deleteCount, 0);
        assert.equal(update?.folders[0]?.uri.toString(), `offline-sync://${Ws}/`);
        assert.equal(await command('offlineSync.openDocuments'), 'revealed');
        assert.equal(fake.workspaceFolderUpdates.length, 1);
    });

    it('serves another workspace once offlineSync.workspaceId changes (the sidecar restarts on it)', async () => {
        assert.ok((await api.listOperations({ statuses: ['succeeded'] })).total > 0);
        const seen = fake.executed.length;
        const stateChanges = () => fake.executed.slice(seen).filter((e) => e.command === 'setContext' && e.args[0] === 'offlineSync.sidecarState').map((e) => e.args[1]);
        fake.setSetting('offlineSync.workspaceId', 'docs-other');
        await until('the sidecar to stop and run again', () => stateChanges().includes('stopped') && stateChanges().at(-1) === 'running');
        await assert.rejects(fs.stat(uri('notes/meeting.md')), isFsError('Unavailable', /docs-other/));
        const other = Uri.from({ scheme: 'offline-sync', authority: 'docs-other', path: '/' });
        assert.deepEqual(await fs.readDirectory(other), [], 'nothing was pulled for that workspace yet');
        assert.equal((await api.listOperations({ statuses: ['succeeded'] })).total, 0, "the new sidecar serves the other workspace's queue");
    });
});

/**
 * The documents workspace, `offline-sync://<workspaceId>/<path>`, as a FileSystemProvider. Every call is a request or
 * a few to the sidecar, which owns the documents (server rows with the user's unfinished operations overlaid): reads
 * are `cache/stat|list|get`, writes are `document.put.v1` / `document.delete.v1` operations. What is kept here is only
 * what VS Code needs between two calls: folders made with "New Folder…", the version each path was seen at, and which
 * paths hold JSON data rather than text.
 *
 * Payloads that are not text documents (`{content, encoding: 'utf-8'}`) read as their JSON and are read-only once read:
 * their kind is only known from the content, and stat must not read content (the explorer stats every file it shows).
 */
import * as vscode from 'vscode';
import { CacheEntry, CacheGetRequest, CacheStatRequest, EnqueueRequest } from '../protocol';
import { DocumentChanges } from './documentChanges';
import { childId, folderPrefix, RootId } from './documentPaths';
import { documentUri, entityIdOf, isDocumentOf } from './documentUris';
import { EmptyFolders } from './emptyFolders';
import { isNotFound, toFileSystemError } from './fileSystemErrors';
import { FolderListing, listAll, request, SidecarSource } from './sidecarRequests';
import { bytesOf, decodeText, DocumentDeleteType, DocumentPutType, textPayload } from './textPayload';

type Target = { kind: 'file'; entry: CacheEntry } | { kind: 'directory' } | { kind: 'missing' };

const directoryStat: vscode.FileStat = { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };

export class DocumentFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
    readonly changes: DocumentChanges;
    readonly onDidChangeFile: vscode.Event<vscode.FileChangeEvent[]>;
    /** The server version each path was last seen at, so a file deleted here and saved again is saved on top of it. */
    private readonly versions = new Map<string, number>();
    private readonly emptyFolders = new EmptyFolders();
    /** Paths whose payload turned out not to be a text document. */
    private readonly jsonPayloads = new Set<string>();

    constructor(private readonly sidecar: SidecarSource) {
        const fs = this;
        this.changes = new DocumentChanges({
            get workspaceId() {
                return sidecar.workspaceId;
            },
            kindOf: async (id) => {
                const target = await fs.target(id, fs.uriOf(id));
                return target.kind === 'file' ? vscode.FileType.File : target.kind === 'directory' ? vscode.FileType.Directory : undefined;
            },
            entriesOf: (id) => fs.entriesOf(id),
            openDocumentIds: () => fs.openDocumentIds(),
        });
        this.onDidChangeFile = this.changes.onDidChangeFile;
    }

    /** Changes come from the sidecar (`offlineSync/cacheChanged`), for every document, watched or not. */
    watch(): vscode.Disposable {
        return new vscode.Disposable(() => undefined);
    }

    async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
        const id = this.idOf(uri);
        const target = await this.target(id, uri);
        switch (target.kind) {
            case 'directory':
                return directoryStat;
            case 'missing':
                throw vscode.FileSystemError.FileNotFound(uri);
            case 'file':
                return {
                    type: vscode.FileType.File,
                    ctime: target.entry.mtime,
                    mtime: target.entry.mtime,
                    size: target.entry.size,
                    permissions: this.jsonPayloads.has(id) ? vscode.FilePermission.Readonly : undefined,
                };
        }
    }

    async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
        const id = this.idOf(uri);
        const entries = await this.entriesOf(id);
        if (entries.size === 0 && !this.emptyFolders.has(id)) {
            const target = await this.target(id, uri);
            if (target.kind === 'file') {
                throw vscode.FileSystemError.FileNotADirectory(uri);
            }
            if (target.kind === 'missing') {
                throw vscode.FileSystemError.FileNotFound(uri);
            }
        }
        this.changes.listed(id, entries);
        return [...entries];
    }

    async readFile(uri: vscode.Uri): Promise<Uint8Array> {
        const id = this.idOf(uri);
        if (id === RootId) {
            throw vscode.FileSystemError.FileIsADirectory(uri);
        }
        const entry = await this.get(id, uri);
        const { bytes, isText } = bytesOf(entry.payload);
        if (isText) {
            this.jsonPayloads.delete(id);
        } else if (!this.jsonPayloads.has(id)) {
            this.jsonPayloads.add(id);
            // VS Code took the stat before this read; a change makes it stat again and see the file read-only.
            void this.changes.entitiesChanged([id]);
        }
        return bytes;
    }

    async writeFile(uri: vscode.Uri, content: Uint8Array, options: { readonly create: boolean; readonly overwrite: boolean }): Promise<void> {
        const id = this.idOf(uri);
        if (id === RootId) {
            throw vscode.FileSystemError.FileIsADirectory(uri);
        }
        const text = decodeText(content);
        if (text === undefined) {
            throw vscode.FileSystemError.NoPermissions(
                `${id}: binary files are not supported; Offline Sync documents are UTF-8 text (this content is not valid UTF-8 or holds NUL characters).`,
            );
        }
        if (this.jsonPayloads.has(id)) {
            throw vscode.FileSystemError.NoPermissions(`${id} holds JSON data, not a text document; it is read-only here.`);
        }
        const target = await this.target(id, uri);
        if (target.kind === 'directory') {
            throw vscode.FileSystemError.FileIsADirectory(uri);
        }
        if (target.kind === 'file' && !options.overwrite) {
            throw vscode.FileSystemError.FileExists(uri);
        }
        if (target.kind === 'missing' && !options.create) {
            throw vscode.FileSystemError.FileNotFound(uri);
        }
        await this.put(id, textPayload(text), target.kind === 'file' ? target.entry.version : this.versionOf(id), uri);
    }

    async delete(uri: vscode.Uri, options: { readonly recursive: boolean }): Promise<void> {
        const id = this.idOf(uri);
        if (id === RootId) {
            throw vscode.FileSystemError.NoPermissions('The root of the Offline Sync documents cannot be deleted.');
        }
        const target = await this.target(id, uri);
        if (target.kind === 'missing') {
            throw vscode.FileSystemError.FileNotFound(uri);
        }
        if (target.kind === 'file') {
            await this.remove(id, target.entry.version, uri);
            return;
        }
        const { documents } = await this.everythingUnder(id, uri);
        if (documents.length > 0 && !options.recursive) {
            throw vscode.FileSystemError.NoPermissions(`${id} is not empty.`);
        }
        for (const document of documents) {
            await this.remove(document.entityId, document.version, uri);
        }
        this.emptyFolders.remove(id);
    }

    /** A move is a put of the content at the new path, then a delete of the old one (for a folder, per document). */
    async rename(oldUri: vscode.Uri, newUri: vscode.Uri, options: { readonly overwrite: boolean }): Promise<void> {
        const from = this.idOf(oldUri);
        const to = this.idOf(newUri);
        if (from === RootId || to === RootId) {
            throw vscode.FileSystemError.NoPermissions('The root of the Offline Sync documents cannot be moved.');
        }
        if (from === to) {
            return;
        }
        if (to.startsWith(folderPrefix(from))) {
            throw vscode.FileSystemError.NoPermissions(`${from} cannot be moved into itself.`);
        }
        const source = await this.target(from, oldUri);
        if (source.kind === 'missing') {
            throw vscode.FileSystemError.FileNotFound(oldUri);
        }
        const destination = await this.target(to, newUri);
        if (destination.kind !== 'missing' && !options.overwrite) {
            throw vscode.FileSystemError.FileExists(newUri);
        }
        if (source.kind === 'file') {
            if (destination.kind === 'directory') {
                throw vscode.FileSystemError.FileIsADirectory(newUri);
            }
            await this.move(from, to, destination.kind === 'file' ? destination.entry.version : this.versionOf(to), oldUri);
            return;
        }
        if (destination.kind === 'file') {
            throw vscode.FileSystemError.FileNotADirectory(newUri);
        }
        const { documents } = await this.everythingUnder(from, oldUri);
        for (const document of documents) {
            const target = childId(to, document.entityId.slice(folderPrefix(from).length));
            const existing = destination.kind === 'directory' ? await this.target(target, newUri) : undefined;
            if (existing?.kind === 'directory') {
                throw vscode.FileSystemError.FileIsADirectory(this.uriOf(target));
            }
            await this.move(document.entityId, target, existing?.kind === 'file' ? existing.entry.version : this.versionOf(target), oldUri);
        }
        this.emptyFolders.move(from, to);
    }

    async createDirectory(uri: vscode.Uri): Promise<void> {
        const id = this.idOf(uri);
        if ((await this.target(id, uri)).kind !== 'missing') {
            throw vscode.FileSystemError.FileExists(uri);
        }
        this.emptyFolders.add(id);
    }

    /** Forgets what was learnt about the paths: they now name another workspace's documents. */
    reset(): void {
        this.versions.clear();
        this.jsonPayloads.clear();
        this.emptyFolders.remove(RootId);
        this.changes.reset();
    }

    dispose(): void {
        this.changes.dispose();
    }

    private idOf(uri: vscode.Uri): string {
        return entityIdOf(uri, this.sidecar.workspaceId);
    }

    private uriOf(entityId: string): vscode.Uri {
        return documentUri(this.sidecar.workspaceId, entityId);
    }

    private versionOf(entityId: string): number {
        return this.versions.get(entityId) ?? 0;
    }

    /** What is at `id`: a document, a folder (of documents, or made here), or nothing. Never reads content. */
    private async target(id: string, uri: vscode.Uri): Promise<Target> {
        if (id === RootId) {
            return { kind: 'directory' };
        }
        try {
            const result = await request(this.sidecar, CacheStatRequest.type, { entityId: id });
            if (result.kind === 'directory') {
                return { kind: 'directory' };
            }
            this.versions.set(id, result.entry.version);
            return { kind: 'file', entry: result.entry };
        } catch (error) {
            if (isNotFound(error)) {
                return this.emptyFolders.has(id) ? { kind: 'directory' } : { kind: 'missing' };
            }
            throw toFileSystemError(error, uri);
        }
    }

    /** The document with its payload (fetched by the sidecar when only its stub is cached). */
    private async get(id: string, uri: vscode.Uri): Promise<CacheEntry> {
        try {
            const entry = await request(this.sidecar, CacheGetRequest.type, { entityId: id });
            this.versions.set(id, entry.version);
            return entry;
        } catch (error) {
            if (isNotFound(error) && (await this.target(id, uri)).kind === 'directory') {
                throw vscode.FileSystemError.FileIsADirectory(uri);
            }
            throw toFileSystemError(error, uri);
        }
    }

    /** A folder's direct children; a name that is both a document and a folder shows as the document, as stat does. */
    private async entriesOf(folderId: string): Promise<Map<string, vscode.FileType>> {
        const prefix = folderPrefix(folderId);
        let listing: FolderListing;
        try {
            listing = await listAll(this.sidecar, prefix, '/');
        } catch (error) {
            throw toFileSystemError(error, this.uriOf(folderId));
        }
        const entries = new Map<string, vscode.FileType>();
        for (const folder of listing.folders) {
            entries.set(folder.slice(prefix.length, -1), vscode.FileType.Directory);
        }
        for (const name of this.emptyFolders.childrenOf(folderId)) {
            entries.set(name, vscode.FileType.Directory);
        }
        for (const document of listing.documents) {
            this.versions.set(document.entityId, document.version);
            entries.set(document.entityId.slice(prefix.length), vscode.FileType.File);
        }
        return entries;
    }

    private async everythingUnder(folderId: string, uri: vscode.Uri): Promise<FolderListing> {
        try {
            return await listAll(this.sidecar, folderPrefix(folderId));
        } catch (error) {
            throw toFileSystemError(error, uri);
        }
    }

    private openDocumentIds(): string[] {
        const workspaceId = this.sidecar.workspaceId;
        return vscode.workspace.textDocuments.filter((d) => isDocumentOf(d.uri, workspaceId)).map((d) => entityIdOf(d.uri, workspaceId));
    }

    /**
     * Saves a payload. `dedupKey` = the path, so saves that are still pending coalesce into one operation;
     * `expectedVersion` = the version the edit was made on (the sidecar rebases it onto an unfinished earlier one).
     */
    private async put(id: string, payload: unknown, expectedVersion: number, uri: vscode.Uri): Promise<void> {
        try {
            await request(this.sidecar, EnqueueRequest.type, { type: DocumentPutType, entityId: id, payload, dedupKey: id, expectedVersion });
        } catch (error) {
            throw toFileSystemError(error, uri);
        }
        this.emptyFolders.documentAt(id);
    }

    private async remove(id: string, version: number, uri: vscode.Uri): Promise<void> {
        try {
            await request(this.sidecar, EnqueueRequest.type, { type: DocumentDeleteType, entityId: id, payload: null, dedupKey: id, expectedVersion: version });
        } catch (error) {
            throw toFileSystemError(error, uri);
        }
        this.versions.set(id, version);
        this.jsonPayloads.delete(id);
    }

    private async move(from: string, to: string, expectedVersion: number, uri: vscode.Uri): Promise<void> {
        const entry = await this.get(from, uri);
        // The payload moves as it is: a JSON document stays JSON (and read-only) at its new path.
        await this.put(to, entry.payload, expectedVersion, uri);
        const json = this.jsonPayloads.has(from);
        await this.remove(from, entry.version, uri);
        if (json) {
            this.jsonPayloads.add(to);
        }
    }
}

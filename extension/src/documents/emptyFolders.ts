/**
 * Folders created in the editor that hold no document yet. The sidecar has no folders (they exist through the ids
 * of the documents under them), so "New Folder…" lives here, in this window's memory, until a document is saved
 * under it; after a reload an empty folder is gone, as in git.
 */
import { childId, folderPrefix, RootId } from './documentPaths';

export class EmptyFolders {
    private readonly folders = new Set<string>();

    add(folderId: string): void {
        this.folders.add(folderId);
    }

    /** True for a created folder and every folder above one (and the root, which always exists). */
    has(folderId: string): boolean {
        if (folderId === RootId) {
            return true;
        }
        const prefix = folderPrefix(folderId);
        return [...this.folders].some((f) => f === folderId || f.startsWith(prefix));
    }

    /** The names of the created folders directly inside `folderId`. */
    childrenOf(folderId: string): string[] {
        const prefix = folderPrefix(folderId);
        const names = new Set<string>();
        for (const folder of this.folders) {
            if (folder.startsWith(prefix) && folder.length > prefix.length) {
                names.add(folder.slice(prefix.length).split('/')[0] ?? '');
            }
        }
        return [...names];
    }

    /** A document now exists at `entityId`: the folders above it exist through it. */
    documentAt(entityId: string): void {
        for (const folder of [...this.folders]) {
            if (entityId.startsWith(folderPrefix(folder))) {
                this.folders.delete(folder);
            }
        }
    }

    /** Forgets `folderId` and everything under it; true when something was there. */
    remove(folderId: string): boolean {
        let removed = false;
        for (const folder of [...this.folders]) {
            if (folder === folderId || folder.startsWith(folderPrefix(folderId))) {
                this.folders.delete(folder);
                removed = true;
            }
        }
        return removed;
    }

    /** A folder rename: the empty folders under `from` move under `to`. */
    move(from: string, to: string): void {
        for (const folder of [...this.folders]) {
            if (folder === from) {
                this.folders.delete(folder);
                this.folders.add(to);
            } else if (folder.startsWith(folderPrefix(from))) {
                this.folders.delete(folder);
                this.folders.add(childId(to, folder.slice(folderPrefix(from).length)));
            }
        }
    }
}

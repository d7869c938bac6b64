/**
 * A stable id for "this workspace", under which the sidecar keeps its queue and its documents. Pure (node:crypto only).
 * The same folders (or the same .code-workspace file) give the same id in every window and session,
 * so a queue survives restarts and is shared by windows on the same workspace.
 */
import { createHash, randomUUID } from 'node:crypto';
import { DocumentsScheme } from './documents/documentPaths';

export interface WorkspaceIdentity {
    /** `offlineSync.workspaceId`; empty or blank means "derive it". */
    setting?: string;
    /** The .code-workspace file of a saved multi-root workspace (untitled ones do not count). */
    workspaceFile?: string;
    /** Folder URIs as strings (`Uri.toString()`), in workspace order. */
    folders: readonly string[];
}

function hash(text: string): string {
    return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 24);
}

function isDocumentsFolder(uri: string): boolean {
    return uri.startsWith(`${DocumentsScheme}:`);
}

/** The authority of `offline-sync://<authority>/…`, decoded as `Uri.authority` would be. */
function documentsAuthority(uri: string): string | undefined {
    const match = /^[^:]+:\/\/([^/?#]*)/.exec(uri);
    if (!match?.[1]) {
        return undefined;
    }
    try {
        return decodeURIComponent(match[1]);
    } catch {
        return match[1];
    }
}

/**
 * undefined when nothing identifies the window (no folder, no saved workspace file, no setting): the caller keeps a
 * per-window id. Documents folders never count towards the hash, so opening them does not move the queue; a window
 * made only of documents folders is the workspace those folders belong to.
 */
export function workspaceIdFor(identity: WorkspaceIdentity): string | undefined {
    const setting = identity.setting?.trim();
    if (setting) {
        return setting;
    }
    const [first] = identity.folders;
    if (first !== undefined && identity.folders.every(isDocumentsFolder)) {
        const authority = documentsAuthority(first);
        if (authority !== undefined) {
            return authority;
        }
    }
    if (identity.workspaceFile !== undefined && !identity.workspaceFile.startsWith('untitled:')) {
        return `ws-${hash(`file\n${identity.workspaceFile}`)}`;
    }
    const folders = identity.folders.filter((f) => !isDocumentsFolder(f));
    if (folders.length > 0) {
        return `ws-${hash(`folders\n${folders.join('\n')}`)}`;
    }
    return undefined;
}

/** The id of a folder-less window, remembered in its workspaceState. */
export function newWindowWorkspaceId(): string {
    return `window-${randomUUID()}`;
}

/**
 * A stable id for "this workspace", under which the sidecar keeps its queue. Pure (node:crypto only).
 * The same folders (or the same .code-workspace file) give the same id in every window and session,
 * so a queue survives restarts and is shared by windows on the same workspace.
 */
import { createHash, randomUUID } from 'node:crypto';

export interface WorkspaceIdentity {
    /** The .code-workspace file of a saved multi-root workspace (untitled ones do not count). */
    workspaceFile?: string;
    /** Folder URIs as strings, in workspace order. */
    folders: readonly string[];
}

function hash(text: string): string {
    return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 24);
}

/** undefined when there is no folder and no saved workspace file: the caller keeps a per-window id. */
export function workspaceIdFor(identity: WorkspaceIdentity): string | undefined {
    if (identity.workspaceFile !== undefined && !identity.workspaceFile.startsWith('untitled:')) {
        return `ws-${hash(`file\n${identity.workspaceFile}`)}`;
    }
    if (identity.folders.length > 0) {
        return `ws-${hash(`folders\n${identity.folders.join('\n')}`)}`;
    }
    return undefined;
}

/** The id of a folder-less window, remembered in its workspaceState. */
export function newWindowWorkspaceId(): string {
    return `window-${randomUUID()}`;
}

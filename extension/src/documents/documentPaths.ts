/**
 * Entity ids as paths (`notes/meeting.md`): segments joined by '/', the root folder being ''. Pure.
 * Folders have no id of their own in the sidecar; they exist through the documents under them.
 */

/** The scheme of the documents workspace: `offline-sync://<workspaceId>/<entityId>` (documentUris.ts). */
export const DocumentsScheme = 'offline-sync';

/** The entity id of the root folder. */
export const RootId = '';

/** The folder holding an entity ('' for top-level ones). */
export function parentId(entityId: string): string {
    const slash = entityId.lastIndexOf('/');
    return slash < 0 ? RootId : entityId.slice(0, slash);
}

/** The last segment: the name the explorer shows. */
export function baseName(entityId: string): string {
    return entityId.slice(entityId.lastIndexOf('/') + 1);
}

/** The prefix every entity under a folder starts with ('' for the root). */
export function folderPrefix(folderId: string): string {
    return folderId === RootId ? '' : `${folderId}/`;
}

export function childId(folderId: string, name: string): string {
    return `${folderPrefix(folderId)}${name}`;
}

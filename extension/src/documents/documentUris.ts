/**
 * The documents workspace's URIs: `offline-sync://<workspaceId>/<entityId>`, the root being `offline-sync://<workspaceId>/`.
 * The authority names the sidecar workspace the documents belong to, so a folder of another workspace is refused
 * instead of silently showing this one's documents.
 */
import * as vscode from 'vscode';
import { DocumentsScheme } from './documentPaths';

export { DocumentsScheme };

export function documentsRoot(workspaceId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: DocumentsScheme, authority: workspaceId, path: '/' });
}

export function documentUri(workspaceId: string, entityId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: DocumentsScheme, authority: workspaceId, path: `/${entityId}` });
}

/** True for `offline-sync:` URIs of this workspace. */
export function isDocumentOf(uri: vscode.Uri, workspaceId: string): boolean {
    return uri.scheme === DocumentsScheme && uri.authority === workspaceId;
}

/**
 * The entity id a URI names ('' for the root). The sidecar validates the id itself (empty or `.` segments are
 * refused with a message naming them), so only the slashes around the path are taken off here.
 * @throws FileSystemError.Unavailable for another scheme or another workspace's authority.
 */
export function entityIdOf(uri: vscode.Uri, workspaceId: string): string {
    if (uri.scheme !== DocumentsScheme) {
        throw vscode.FileSystemError.Unavailable(`${uri.toString()} is not an Offline Sync document.`);
    }
    if (uri.authority !== workspaceId) {
        throw vscode.FileSystemError.Unavailable(
            `${uri.toString()} belongs to the Offline Sync workspace "${uri.authority}", but this window syncs "${workspaceId}". ` +
                `Set offlineSync.workspaceId to "${uri.authority}" to open it here.`,
        );
    }
    return uri.path.replace(/^\/+/, '').replace(/\/+$/, '');
}

/**
 * The few sidecar calls the documents code shares: requests through the running client, and `cache/list` read to its
 * last page (the sidecar pages by an opaque cursor; a folder can hold more than one page).
 */
import type { ProtocolRequestType } from 'vscode-languageserver-protocol';
import { CacheEntry, CacheListRequest } from '../protocol';

/** What the documents code needs of Ctx: the running client and the workspace its URIs belong to. */
export interface SidecarSource {
    client(): Promise<{ sendRequest<P, R>(type: ProtocolRequestType<P, R, never, void, void>, params: P): Promise<R> }>;
    readonly workspaceId: string;
}

/** The largest page `cache/list` serves. */
export const ListPageSize = 1000;

export async function request<P, R>(sidecar: SidecarSource, type: ProtocolRequestType<P, R, never, void, void>, params: P): Promise<R> {
    const client = await sidecar.client();
    return client.sendRequest(type, params);
}

export interface FolderListing { documents: CacheEntry[]; folders: string[] }

/**
 * Every document under `prefix` ('' = all): with `delimiter` only the direct children and the sub-folders
 * (each `prefix + name + '/'`), without it every document at any depth.
 */
export async function listAll(sidecar: SidecarSource, prefix: string, delimiter?: '/'): Promise<FolderListing> {
    const listing: FolderListing = { documents: [], folders: [] };
    let cursor: string | undefined;
    do {
        const page = await request(sidecar, CacheListRequest.type, { prefix, delimiter, cursor, limit: ListPageSize });
        listing.documents.push(...page.items);
        listing.folders.push(...page.folders);
        cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return listing;
}

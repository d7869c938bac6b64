/**
 * The API `activate` returns to other extensions:
 *   const api = vscode.extensions.getExtension<OfflineSyncApi>('offline-sidecar.offline-sidecar')?.exports;
 * Calls go straight to the sidecar; they reject while it is not running.
 */
import type * as vscode from 'vscode';
import type { EnqueueParams, EnqueueResult, ListOperationsParams, ListOperationsResult, SyncStatus } from './protocol';

export type { Attachment, EnqueueAttachment, EnqueueParams, EnqueueResult, ListOperationsParams, ListOperationsResult, SyncStatus } from './protocol';

export interface OfflineSyncApi {
    readonly apiVersion: 1;
    /** Resolves once the operation is durably stored (the sidecar committed it), with copies of its `attachments`. */
    enqueue(op: EnqueueParams): Promise<EnqueueResult>;
    /** A fresh status from the sidecar. */
    getStatus(): Promise<SyncStatus>;
    /** Every `offlineSync/statusChanged` of the sidecar. */
    readonly onDidChangeStatus: vscode.Event<SyncStatus>;
    /** One page of the queue (limit 1–500, default 100); without params, the first page of everything. */
    listOperations(params?: ListOperationsParams): Promise<ListOperationsResult>;
}

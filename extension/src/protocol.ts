/**
 * The editor ↔ sidecar contract of docs/protocol.md, declared once, like LSP's protocol files:
 * every message is a namespace with its `method`, `messageDirection` and typed `type`.
 * It imports only vscode-languageserver-protocol (no `vscode`), so plain node tests can use it.
 * The C# twin is server/OfflineSidecar.Host/Protocol/; tests/extension/protocol-drift.test.ts
 * fails when this file, the sidecar and the document disagree on methods or directions, and
 * tests/OfflineSidecar.Host.Tests/Protocol/ProtocolFieldDriftTests.cs when this file and the sidecar's
 * records disagree on a field's name or JSON kind (nested types included).
 */
import {
    DidChangeConfigurationNotification,
    ExitNotification,
    InitializedNotification,
    InitializeRequest,
    LogMessageNotification,
    MessageDirection,
    ProtocolNotificationType,
    ProtocolRequestType,
    ProtocolRequestType0,
    ShowMessageNotification,
    ShutdownRequest,
    WorkDoneProgressCancelNotification,
    WorkDoneProgressCreateRequest,
} from 'vscode-languageserver-protocol';

export { MessageDirection };

// ---- Shared types ---------------------------------------------------------------------------

export type OperationStatus = 'pending' | 'syncing' | 'succeeded' | 'failed' | 'conflict';
export type OperationPriority = 'high' | 'normal' | 'low';
export type Connectivity = 'online' | 'offline' | 'unreachable' | 'workingOffline' | 'authRequired' | 'accessRevoked';
export type SyncMode = 'eager' | 'periodic' | 'manual';

export interface OperationError { code: string; message: string }

export interface QueueCounts { pending: number; syncing: number; failed: number; conflict: number; succeeded: number }

/** List results omit `payload`; getOperation carries it. */
export interface Operation {
    id: string;
    workspaceId: string;
    type: string;
    entityId: string | null;
    payload?: unknown;
    payloadBytes: number;
    idempotencyKey: string;
    dedupKey: string | null;
    expectedVersion: number | null;
    priority: OperationPriority;
    status: OperationStatus;
    attempts: number;
    nextAttemptAt: string | null;
    lastError: OperationError | null;
    /** This machine's clock. */
    createdAt: string;
    /** `createdAt` on the server's clock, as estimated at enqueue; null when never estimated. Shown only. */
    serverCreatedAt: string | null;
    updatedAt: string;
    expiresAt: string | null;
    clientTraceId: string | null;
    /** Files the operation carries, in enqueue order. */
    attachments: Attachment[];
}

/** A file an operation carries, named by the SHA-256 (lowercase hex) of its content. */
export interface Attachment { sha256: string; name: string; mediaType: string | null; size: number }

/** A file to copy into the sidecar's store at enqueue; it may be deleted once the enqueue answered. */
export interface EnqueueAttachment {
    path: string;
    /** Default: the file name of `path`. */
    name?: string;
    mediaType?: string;
}

export interface AttemptRecord {
    attempt: number;
    startedAt: string;
    finishedAt: string;
    outcome: 'applied' | 'duplicate' | 'conflict' | 'rejected' | 'retry' | 'error' | 'merged';
    error: OperationError | null;
}

export interface ConflictInfo { serverVersion: number; serverPayload: unknown; detectedAt: string }

export interface SyncStatus {
    connectivity: Connectivity;
    syncing: boolean;
    counts: QueueCounts;
    lastSyncedAt: string | null;
    lastError: OperationError | null;
    serverUrl: string | null;
    workOffline: boolean;
    isLeader: boolean;
    /** The last pull that read the changes feed to its end (stored by the sidecar: survives restarts). */
    lastPulledAt: string | null;
    cache: CacheStatus;
    /** The account the server said the credentials act for (GET /sync/whoami); null until it answered. */
    account: string | null;
    /** How far this machine's clock is ahead of the server's (negative: behind); null until ever estimated. */
    clockSkewMs: number | null;
    /** `lastSyncedAt` as a duration when the status was made, on the sidecar's monotonic clock; null until it synced. */
    lastSyncedAgoMs: number | null;
    /** Free space of the data directory's file system; null while it could not be measured. */
    storage: StorageStatus | null;
}

/** ok; low: under the warning threshold (told once); critical: new operations are refused (error 1009). */
export type StorageLevel = 'ok' | 'low' | 'critical';

/** Bytes free on the data directory's file system, and the thresholds in force (bytes). */
export interface StorageStatus { freeBytes: number; level: StorageLevel; warningBytes: number; criticalBytes: number }

/** Documents cached (stubs included), the bytes of content held, and the budget. */
export interface CacheStatus { entities: number; bytes: number; maxBytes: number }

export type CacheState = 'synced' | 'pending' | 'syncing' | 'failed' | 'conflict' | 'localOnly';

/** A document as reads show it: the server's row with the user's unfinished operations overlaid. */
export interface CacheEntry {
    entityId: string;
    type: string;
    /** Only in cache/get. */
    payload?: unknown;
    /** The server version the overlay is based on; 0 = never on the server. */
    version: number;
    state: CacheState;
    /** A text document's UTF-8 bytes, else the payload's. */
    size: number;
    /** Unix ms; moves only when what is shown changes. */
    mtime: number;
    fetchedAt: string | null;
    stale: boolean;
    evicted: boolean;
    pinned: boolean;
    /** The latest unfinished operation of this document. */
    operationId: string | null;
}

/** Every field optional: the sidecar owns the defaults. */
export interface Settings {
    syncMode: SyncMode;
    syncIntervalSeconds: number;
    batchSize: number;
    batchesInFlight: number;
    maxAttempts: number;
    workOffline: boolean;
    maxPayloadBytes: number;
    synchronous: 'full' | 'normal';
    backoffBaseSeconds: number;
    backoffCapSeconds: number;
    requestTimeoutSeconds: number;
    leaseSeconds: number;
    succeededRetentionHours: number;
    /** VS Code setting `offlineSync.cache.maxSizeMB`. */
    cacheMaxSizeMB: number;
    /** VS Code setting `offlineSync.attachments.maxSizeMB`. */
    attachmentMaxSizeMB: number;
    /** VS Code setting `offlineSync.storage.lowSpaceWarningMB`. */
    lowSpaceWarningMB: number;
    /** VS Code setting `offlineSync.storage.lowSpaceWarningPercent`. */
    lowSpaceWarningPercent: number;
    /** VS Code setting `offlineSync.storage.criticalSpaceMB`. */
    criticalSpaceMB: number;
}

/** Error codes of the sidecar's own errors (JSON-RPC ones are in vscode-jsonrpc's ErrorCodes). */
export const SidecarErrorCodes = {
    notFound: 1001,
    invalidState: 1002,
    storageFull: 1003,
    payloadTooLarge: 1004,
    storageFailure: 1005,
    invalidServerUrl: 1006,
    notAvailableOffline: 1007,
    serverAnswerRefused: 1008,
    attachmentUnreadable: 1010,
    attachmentTooLarge: 1011,
    lowDiskSpace: 1009,
} as const;

// ---- Lifecycle (standard LSP) ---------------------------------------------------------------

export interface InitializationOptions {
    dataDir: string;
    workspaceId: string;
    serverUrl?: string | null;
    /** The sync server token, as offlineSync/setCredentials would give it: the first request is already signed. */
    token?: string | null;
    settings?: Partial<Settings>;
}

export interface SidecarServerInfo { name: 'offline-sidecar'; version: string }

/** What `initialize` answers under `capabilities.experimental`. */
export interface SidecarExperimentalCapabilities { offlineSync: { protocolVersion: number } }

export { InitializeRequest, InitializedNotification, ShutdownRequest, ExitNotification, LogMessageNotification, ShowMessageNotification, WorkDoneProgressCreateRequest, WorkDoneProgressCancelNotification };

/** LSP declares `$/cancelRequest` inside vscode-jsonrpc without a direction; the contract needs one. */
export namespace CancelRequestNotification {
    export const method = '$/cancelRequest' as const;
    export const messageDirection: MessageDirection = MessageDirection.both;
    export const type = new ProtocolNotificationType<{ id: number | string }, void>(method);
}

/** Standard work-done `$/progress`; the client routes it through its progress handlers. */
export namespace ProgressNotification {
    export const method = '$/progress' as const;
    export const messageDirection: MessageDirection = MessageDirection.serverToClient;
}

export interface SidecarConfigurationSection extends Partial<Settings> { serverUrl?: string | null }

/** `{ settings: { offlineSync: … } }`; the sidecar applies it at once. */
export interface SidecarDidChangeConfigurationParams { settings: { offlineSync?: SidecarConfigurationSection } }

export namespace SidecarDidChangeConfigurationNotification {
    export const method = DidChangeConfigurationNotification.method;
    export const messageDirection: MessageDirection = DidChangeConfigurationNotification.messageDirection;
    export const type = new ProtocolNotificationType<SidecarDidChangeConfigurationParams, void>(method);
}

// ---- Queue ----------------------------------------------------------------------------------

export interface EnqueueParams {
    type: string;
    payload: unknown;
    entityId?: string;
    dedupKey?: string;
    idempotencyKey?: string;
    expectedVersion?: number;
    priority?: OperationPriority;
    /** Not delivered by then (ISO-8601), it fails with code `expired` instead of being sent. Not with ttlSeconds. */
    expiresAt?: string;
    /** The same, in seconds from now (stored as an absolute expiresAt). */
    ttlSeconds?: number;
    /** The caller's id for support: sent to the server with the command and in every log line about it. */
    clientTraceId?: string;
    /** Copied before the answer: 1010 when a file is missing or unreadable, 1011 when over attachmentMaxSizeMB. */
    attachments?: EnqueueAttachment[];
}
export interface EnqueueResult { id: string; status: OperationStatus; coalesced: boolean }

export namespace EnqueueRequest {
    export const method = 'offlineSync/enqueue' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<EnqueueParams, EnqueueResult, never, void, void>(method);
}

export namespace GetStatusRequest {
    export const method = 'offlineSync/getStatus' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType0<SyncStatus, never, void, void>(method);
}

export interface ListOperationsParams {
    statuses?: OperationStatus[];
    entityId?: string;
    cursor?: string;
    /** 1–500, default 100. */
    limit?: number;
}
export interface ListOperationsResult { items: Operation[]; nextCursor: string | null; total: number }

export namespace ListOperationsRequest {
    export const method = 'offlineSync/listOperations' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<ListOperationsParams, ListOperationsResult, never, void, void>(method);
}

export interface OperationIdParams { id: string }
export interface OperationDetails { operation: Operation; attempts: AttemptRecord[]; conflict: ConflictInfo | null }

export namespace GetOperationRequest {
    export const method = 'offlineSync/getOperation' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<OperationIdParams, OperationDetails, never, void, void>(method);
}

export interface CountResult { count: number }
export interface RetryParams { ids?: string[]; allFailed?: boolean }

export namespace RetryRequest {
    export const method = 'offlineSync/retry' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<RetryParams, CountResult, never, void, void>(method);
}

export interface DiscardParams { ids: string[] }

export namespace DiscardRequest {
    export const method = 'offlineSync/discard' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<DiscardParams, CountResult, never, void, void>(method);
}

export interface UpdateOperationParams { id: string; payload: unknown }

export namespace UpdateOperationRequest {
    export const method = 'offlineSync/updateOperation' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<UpdateOperationParams, Operation, never, void, void>(method);
}

export namespace PrioritizeRequest {
    export const method = 'offlineSync/prioritize' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<OperationIdParams, Operation, never, void, void>(method);
}

export interface ClearQueueParams { statuses?: OperationStatus[] }

export namespace ClearQueueRequest {
    export const method = 'offlineSync/clearQueue' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<ClearQueueParams, CountResult, never, void, void>(method);
}

export interface PathParams { path: string }

export namespace ExportRequest {
    export const method = 'offlineSync/export' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<PathParams, CountResult, never, void, void>(method);
}

export interface ImportResult { count: number; skipped: number }

export namespace ImportRequest {
    export const method = 'offlineSync/import' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<PathParams, ImportResult, never, void, void>(method);
}

// ---- Sync -----------------------------------------------------------------------------------

export namespace SyncNowRequest {
    export const method = 'offlineSync/syncNow' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType0<{ started: boolean }, never, void, void>(method);
}

export namespace SetWorkOfflineRequest {
    export const method = 'offlineSync/setWorkOffline' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<{ enabled: boolean }, SyncStatus, never, void, void>(method);
}

export namespace SetCredentialsRequest {
    export const method = 'offlineSync/setCredentials' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<{ token: string | null }, Record<string, never>, never, void, void>(method);
}

/** What signing out deleted (the account's queue and cached documents) and the database file's size around the vacuum. */
export interface ClearedData { operations: number; documents: number; fileBytesBefore: number; fileBytesAfter: number }
export interface SignOutResult { cleared: ClearedData | null }

export namespace SignOutRequest {
    export const method = 'offlineSync/signOut' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<{ clearData: boolean }, SignOutResult, never, void, void>(method);
}

export type ConflictResolution = 'keepLocal' | 'takeServer' | 'merge';
export interface ResolveConflictParams { id: string; resolution: ConflictResolution; payload?: unknown }

export namespace ResolveConflictRequest {
    export const method = 'offlineSync/resolveConflict' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<ResolveConflictParams, { operation: Operation | null }, never, void, void>(method);
}

export type BulkResolution = 'keepLocal' | 'takeServer' | 'mergeClean';
export interface ResolveAllParams { resolution: BulkResolution }
export interface ResolveAllResult { resolved: number; remaining: number }

export namespace ResolveAllRequest {
    export const method = 'offlineSync/resolveAll' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<ResolveAllParams, ResolveAllResult, never, void, void>(method);
}

export interface PullResult { pulled: number; cursor: string | null; complete: boolean }

export namespace PullRequest {
    export const method = 'offlineSync/pull' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType0<PullResult, never, void, void>(method);
}

// ---- Documents (the op cache) ---------------------------------------------------------------

export interface CacheEntityParams { entityId: string }

export namespace CacheGetRequest {
    export const method = 'offlineSync/cache/get' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<CacheEntityParams, CacheEntry, never, void, void>(method);
}

export type CacheStatResult = { kind: 'file'; entry: CacheEntry } | { kind: 'directory' };

export namespace CacheStatRequest {
    export const method = 'offlineSync/cache/stat' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<CacheEntityParams, CacheStatResult, never, void, void>(method);
}

export interface CacheListParams {
    prefix?: string;
    /** '/': ids with it after the prefix are rolled up into `folders`. */
    delimiter?: string;
    cursor?: string;
    /** 1–1000, default 200. */
    limit?: number;
}
export interface CacheListResult { items: CacheEntry[]; folders: string[]; nextCursor: string | null; total: number }

export namespace CacheListRequest {
    export const method = 'offlineSync/cache/list' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<CacheListParams, CacheListResult, never, void, void>(method);
}

export interface CachePinParams { entityIds: string[]; pinned: boolean }

export namespace CachePinRequest {
    export const method = 'offlineSync/cache/pin' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<CachePinParams, CountResult, never, void, void>(method);
}

export interface CacheOpenedParams { entityIds: string[]; open: boolean }

export namespace CacheOpenedRequest {
    export const method = 'offlineSync/cache/opened' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<CacheOpenedParams, Record<string, never>, never, void, void>(method);
}

export interface CacheUnsyncedParams { limit?: number }
export interface UnsyncedDocument { entityId: string; state: CacheState; operationId: string }
export interface CacheUnsyncedResult { items: UnsyncedDocument[]; truncated: boolean }

export namespace CacheUnsyncedRequest {
    export const method = 'offlineSync/cache/unsynced' as const;
    export const messageDirection: MessageDirection = MessageDirection.clientToServer;
    export const type = new ProtocolRequestType<CacheUnsyncedParams, CacheUnsyncedResult, never, void, void>(method);
}

// ---- Notifications (server → client) --------------------------------------------------------

export namespace StatusChangedNotification {
    export const method = 'offlineSync/statusChanged' as const;
    export const messageDirection: MessageDirection = MessageDirection.serverToClient;
    export const type = new ProtocolNotificationType<SyncStatus, void>(method);
}

export interface QueueChangedParams { counts: QueueCounts }

export namespace QueueChangedNotification {
    export const method = 'offlineSync/queueChanged' as const;
    export const messageDirection: MessageDirection = MessageDirection.serverToClient;
    export const type = new ProtocolNotificationType<QueueChangedParams, void>(method);
}

/** Absent `entityIds`: anything may have changed. */
export interface CacheChangedParams { entityIds?: string[] }

export namespace CacheChangedNotification {
    export const method = 'offlineSync/cacheChanged' as const;
    export const messageDirection: MessageDirection = MessageDirection.serverToClient;
    export const type = new ProtocolNotificationType<CacheChangedParams, void>(method);
}

export type SyncEventKind = 'flushStarted' | 'flushCompleted' | 'operationFailed' | 'conflictDetected' | 'authRequired' | 'accessRevoked';

export interface SyncEvent {
    kind: SyncEventKind;
    counts: QueueCounts;
    ids: string[];
    message: string | null;
    total?: number;
    applied?: number;
    failed?: number;
    conflicts?: number;
}

export namespace SyncEventNotification {
    export const method = 'offlineSync/syncEvent' as const;
    export const messageDirection: MessageDirection = MessageDirection.serverToClient;
    export const type = new ProtocolNotificationType<SyncEvent, void>(method);
}

// ---- The whole contract, for the drift test and the docs --------------------------------------

export interface MessageDeclaration { readonly method: string; readonly messageDirection: MessageDirection }

export const allMessages: readonly MessageDeclaration[] = [
    InitializeRequest,
    InitializedNotification,
    ShutdownRequest,
    ExitNotification,
    CancelRequestNotification,
    SidecarDidChangeConfigurationNotification,
    LogMessageNotification,
    ShowMessageNotification,
    WorkDoneProgressCreateRequest,
    ProgressNotification,
    WorkDoneProgressCancelNotification,
    EnqueueRequest,
    GetStatusRequest,
    ListOperationsRequest,
    GetOperationRequest,
    RetryRequest,
    DiscardRequest,
    UpdateOperationRequest,
    PrioritizeRequest,
    ClearQueueRequest,
    ExportRequest,
    ImportRequest,
    SyncNowRequest,
    SetWorkOfflineRequest,
    SetCredentialsRequest,
    SignOutRequest,
    ResolveConflictRequest,
    ResolveAllRequest,
    PullRequest,
    CacheGetRequest,
    CacheStatRequest,
    CacheListRequest,
    CachePinRequest,
    CacheOpenedRequest,
    CacheUnsyncedRequest,
    StatusChangedNotification,
    QueueChangedNotification,
    CacheChangedNotification,
    SyncEventNotification,
];

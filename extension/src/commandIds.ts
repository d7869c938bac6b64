/** Command identifiers, shared by package.json contributions, the glue and the pure view models. */
export const CommandIds = {
    syncNow: 'offlineSync.syncNow',
    showQueue: 'offlineSync.showQueue',
    workOffline: 'offlineSync.workOffline',
    goOnline: 'offlineSync.goOnline',
    retry: 'offlineSync.retry',
    retryAllFailed: 'offlineSync.retryAllFailed',
    discard: 'offlineSync.discard',
    showDetails: 'offlineSync.showDetails',
    prioritize: 'offlineSync.prioritize',
    editPayload: 'offlineSync.editPayload',
    resolveConflict: 'offlineSync.resolveConflict',
    exportQueue: 'offlineSync.exportQueue',
    importQueue: 'offlineSync.importQueue',
    clearQueue: 'offlineSync.clearQueue',
    signIn: 'offlineSync.signIn',
    signOut: 'offlineSync.signOut',
    showLog: 'offlineSync.showLog',
    restartSidecar: 'offlineSync.restartSidecar',
    enqueueSample: 'offlineSync.enqueueSample',
    loadMore: 'offlineSync.loadMore',
    openDocuments: 'offlineSync.openDocuments',
    pull: 'offlineSync.pull',
    resolveAll: 'offlineSync.resolveAll',
    pinDocument: 'offlineSync.pinDocument',
    unpinDocument: 'offlineSync.unpinDocument',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];

/** Context keys set by the extension for `when` clauses. */
export const ContextKeys = {
    workOffline: 'offlineSync.workOffline',
    /** 'starting' | 'running' | 'stopped' | 'missing' */
    sidecarState: 'offlineSync.sidecarState',
    signedIn: 'offlineSync.signedIn',
    queueEmpty: 'offlineSync.queueEmpty',
    /** URIs (`Uri.toString()`) of the documents in conflict, for `resource in offlineSync.conflictDocuments`. */
    conflictDocuments: 'offlineSync.conflictDocuments',
} as const;

export const QueueViewId = 'offlineSync.queue';

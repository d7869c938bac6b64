using OfflineSidecar.Core.Sync;

namespace OfflineSidecar.Host.Serve;

/// <summary>Builds the sync engine of a session; tests substitute it to observe delegation without a server.</summary>
internal delegate ISyncEngine SyncEngineFactory(ISyncStore store, SyncOptions options, TimeProvider time);

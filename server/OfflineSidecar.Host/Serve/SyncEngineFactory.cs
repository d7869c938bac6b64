using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Sync;

namespace OfflineSidecar.Host.Serve;

/// <summary>Builds the sync engine of a session; tests substitute it to observe delegation without a server.</summary>
internal delegate ISyncEngine SyncEngineFactory(ISyncStore store, ICacheStore cache, SyncOptions options, TimeProvider time);

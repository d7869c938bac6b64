namespace OfflineSidecar.Core.Sync.Conflicts;

/// <summary>
/// A conflict resolved by a clean three-way merge: the operation is sent again with <see cref="MergedPayloadJson"/>,
/// expecting <see cref="ServerVersion"/>, whose content (<see cref="ServerPayloadJson"/>) becomes its new merge base.
/// </summary>
public sealed record ConflictMerge(long ServerVersion, string ServerPayloadJson, string MergedPayloadJson);

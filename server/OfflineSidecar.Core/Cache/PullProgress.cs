namespace OfflineSidecar.Core.Cache;

/// <summary>How far a pull got: changes applied so far, of the total the server announced (if it did), in pages.</summary>
public sealed record PullProgress(long Pulled, long? Total, int Pages);

namespace OfflineSidecar.Bench.Rpc;

/// <summary>
/// Takes answers straight off <see cref="RpcClient"/>'s read loop, without a JsonDocument or a task per call:
/// the load generator's replies are counted and timed in place, so the bench client stays cheap next to the sidecar.
/// </summary>
internal interface IRawReplySink
{
    /// <summary>Returns false when <paramref name="id"/> is not one of this sink's requests.</summary>
    bool TryAccept(long id, bool isError, long receivedAt);

    /// <summary>Called once the frames of one read were all handled: the moment to send what they released.</summary>
    void AfterRead();
}

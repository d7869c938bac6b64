namespace OfflineSidecar.Integration.Tests.Reliability;

/// <summary>One operation a caller sent: its own id (in the payload), its entity and its place in that entity's order.</summary>
internal sealed class LedgerEntry(string operationId, string entityId, int seq)
{
    private int acknowledged;

    public string OperationId { get; } = operationId;

    public string EntityId { get; } = entityId;

    public int Seq { get; } = seq;

    /// <summary>The enqueue request was answered: from then on the operation must reach the server exactly once.</summary>
    public bool Acknowledged => Volatile.Read(ref acknowledged) == 1;

    public void Acknowledge() => Volatile.Write(ref acknowledged, 1);

    public object Payload => new { op = OperationId, entity = EntityId, seq = Seq };
}

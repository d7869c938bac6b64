namespace OfflineSidecar.Integration.Tests.Reliability;

/// <param name="AppliedUnacknowledged">Operations whose enqueue was cut off by a kill but that had committed: allowed, once.</param>
/// <param name="Lost">Acknowledged operations the server never applied.</param>
/// <param name="Doubled">Operations the server applied more than once.</param>
/// <param name="Unknown">Changes of the run's entities that no caller sent.</param>
/// <param name="OutOfOrder">Changes applied after a later operation of the same entity.</param>
internal sealed record LedgerVerdict(
    int Sent, int Acknowledged, int Applied, int AppliedUnacknowledged, int Lost, int Doubled, int Unknown, int OutOfOrder, IReadOnlyList<string> Examples)
{
    public bool Holds => Lost == 0 && Doubled == 0 && Unknown == 0 && OutOfOrder == 0;

    public override string ToString() =>
        $"sent {Sent}, acknowledged {Acknowledged}, applied {Applied} ({AppliedUnacknowledged} unacknowledged), lost {Lost}, doubled {Doubled}, " +
        $"unknown {Unknown}, out of order {OutOfOrder}{(Examples.Count == 0 ? "" : "; e.g. " + string.Join("; ", Examples))}";
}

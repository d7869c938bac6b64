using System.Globalization;
using OfflineSidecar.Bench.Infra;

namespace OfflineSidecar.Bench.QueueFiles;

/// <summary>What one queued operation holds for this comparison: id, idempotency key, entity, status, ~200-byte payload.</summary>
internal sealed record QueueDocument(string Id, string IdempotencyKey, string Entity, int Status, string Payload, long CreatedAt)
{
    public static QueueDocument Make(string prefix, long index) => new(
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-{index:D12}"),
        string.Create(CultureInfo.InvariantCulture, $"idem-{prefix}-{index}"),
        Payloads.EntityId(index, 1000),
        0,
        Payloads.Json(index),
        DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}

using OfflineSidecar.Core.Clock;

namespace OfflineSidecar.Core.Storage;

/// <summary>server_clock: the latest estimate of the partition's server clock, read at start and by enqueue's INSERT.</summary>
internal static class ServerClockRow
{
    public static ServerClockEstimate? Read(StatementCache statements, string workspace)
    {
        using var row = statements.Sql("SELECT offset_ms, round_trip_ms, measured_at FROM server_clock WHERE workspace = $w;")
            .With("$w", workspace)
            .ExecuteReader();
        return row.Read()
            ? new ServerClockEstimate(TimeSpan.FromMilliseconds(row.GetInt64(0)), TimeSpan.FromMilliseconds(row.GetInt64(1)), UnixMilliseconds.To(row.GetInt64(2)))
            : null;
    }

    public static void Write(WriteSession session, string workspace, ServerClockEstimate estimate) =>
        session.Sql("""
                INSERT INTO server_clock (workspace, offset_ms, round_trip_ms, measured_at) VALUES ($w, $o, $r, $at)
                ON CONFLICT (workspace) DO UPDATE SET offset_ms = excluded.offset_ms, round_trip_ms = excluded.round_trip_ms,
                    measured_at = excluded.measured_at;
                """)
            .With("$w", workspace)
            .With("$o", (long)Math.Round(estimate.Offset.TotalMilliseconds))
            .With("$r", (long)Math.Round(estimate.RoundTrip.TotalMilliseconds))
            .With("$at", UnixMilliseconds.From(estimate.MeasuredAt))
            .ExecuteNonQuery();
}

using OfflineSidecar.Core.Cache;

namespace OfflineSidecar.Core.Storage;

/// <summary>pull_state: read by readers, and by the writer inside the transaction that then writes it.</summary>
internal static class PullStateRow
{
    public static PullState Read(WriteSession session, string workspace) => Read(session.Statements, workspace);

    public static PullState Read(StatementCache statements, string workspace)
    {
        using var row = statements.Sql("SELECT cursor, generation, refetching, last_pulled_at, server FROM pull_state WHERE workspace = $w;")
            .With("$w", workspace)
            .ExecuteReader();
        return row.Read()
            ? new PullState(row.GetStringOrNull(0), row.GetInt64(1), row.GetInt64(2) == 1, row.GetInt64OrNull(3) is { } at ? UnixMilliseconds.To(at) : null, row.GetStringOrNull(4))
            : PullState.Initial;
    }

    /// <summary>Writes the state and moves cache_stamp, which tells other processes the cache changed.</summary>
    public static void Write(WriteSession session, string workspace, PullState state) =>
        session.Sql("""
                INSERT INTO pull_state (workspace, cursor, generation, refetching, last_pulled_at, server, cache_stamp)
                VALUES ($w, $c, $g, $r, $at, $s, 1)
                ON CONFLICT (workspace) DO UPDATE SET cursor = excluded.cursor, generation = excluded.generation,
                    refetching = excluded.refetching, last_pulled_at = excluded.last_pulled_at, server = excluded.server,
                    cache_stamp = cache_stamp + 1;
                """)
            .With("$w", workspace)
            .With("$c", state.Cursor)
            .With("$g", state.Generation)
            .With("$r", state.Refetching ? 1 : 0)
            .With("$at", UnixMilliseconds.From(state.LastPulledAt))
            .With("$s", state.Server)
            .ExecuteNonQuery();

    /// <summary>Moves cache_stamp alone (a write to the cache that is not a pull page).</summary>
    public static void Stamp(WriteSession session, string workspace) =>
        session.Sql("""
                INSERT INTO pull_state (workspace, cache_stamp) VALUES ($w, 1)
                ON CONFLICT (workspace) DO UPDATE SET cache_stamp = cache_stamp + 1;
                """)
            .With("$w", workspace)
            .ExecuteNonQuery();
}

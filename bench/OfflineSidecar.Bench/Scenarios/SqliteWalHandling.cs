namespace OfflineSidecar.Bench.Scenarios;

/// <summary>How the WAL is treated during the group-commit yardstick (see <see cref="SqliteBench"/>).</summary>
internal enum SqliteWalHandling
{
    /// <summary>SQLite's own checkpoint every 1,000 pages, inside the commit that crosses it.</summary>
    AutoCheckpoint,

    /// <summary>No checkpoint: every commit extends the WAL file.</summary>
    Grows,

    /// <summary>No checkpoint, on a WAL file grown and started over beforehand: every commit overwrites it in place.</summary>
    Pregrown,
}

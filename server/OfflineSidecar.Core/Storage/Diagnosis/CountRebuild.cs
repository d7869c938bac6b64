namespace OfflineSidecar.Core.Storage.Diagnosis;

/// <summary>Recounts <c>queue_counts</c> (what getStatus answers from) from the operations themselves.</summary>
internal static class CountRebuild
{
    public static int Run(WriteSession session)
    {
        session.Sql("DELETE FROM queue_counts;").ExecuteNonQuery();
        return session.Sql("""
                INSERT INTO queue_counts (workspace, status, count)
                SELECT workspace, status, COUNT(*) FROM operations GROUP BY workspace, status;
                """).ExecuteNonQuery();
    }
}

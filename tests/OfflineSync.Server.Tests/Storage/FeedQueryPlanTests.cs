using OfflineSync.Server.Storage;
using OfflineSync.Server.Tests.Support;

namespace OfflineSync.Server.Tests.Storage;

public sealed class FeedQueryPlanTests
{
    [Fact]
    public void Counting_the_rows_after_a_cursor_reads_only_the_workspace_index_range()
    {
        using var scratch = new ScratchWriter();
        using var explain = scratch.Connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + SyncStoreReader.CountAfterSql;
        explain.Parameters.AddWithValue("$workspace", "ws");
        explain.Parameters.AddWithValue("$after", 0L);

        var steps = new List<string>();
        using (var plan = explain.ExecuteReader())
        {
            while (plan.Read())
            {
                steps.Add(plan.GetString(3));
            }
        }

        var step = Assert.Single(steps);
        Assert.Contains("USING COVERING INDEX changes_by_workspace (workspace_id=? AND seq>?)", step, StringComparison.Ordinal);
    }
}

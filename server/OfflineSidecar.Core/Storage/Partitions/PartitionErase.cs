using System.Globalization;
using OfflineSidecar.Core.Storage.Attachments;

namespace OfflineSidecar.Core.Storage.Partitions;

/// <summary>Removes what a partition holds: its queue (attempts and conflicts go with it), its cache and its bookkeeping.</summary>
internal static class PartitionErase
{
    private static readonly string[] KeyedByWorkspace =
        ["operations", "queue_counts", "leases", "cache_entities", "cache_totals", "pull_state", "cache_bases", "cache_open", "server_clock"];

    public static void Rows(WriteSession session, string name)
    {
        AttachmentRows.ReleaseWhere(session, name, statusSql: null);
        foreach (var table in KeyedByWorkspace)
        {
            session.Sql(string.Create(CultureInfo.InvariantCulture, $"DELETE FROM {table} WHERE workspace = $w;")).With("$w", name).ExecuteNonQuery();
        }
    }

    /// <summary>The rows, and the partition itself: no credentials open it any more.</summary>
    public static (long Operations, long Documents) Partition(WriteSession session, string name)
    {
        var operations = session.Sql("SELECT COUNT(*) FROM operations WHERE workspace = $w;").With("$w", name).ScalarInt64() ?? 0;
        var documents = session.Sql("SELECT COUNT(*) FROM cache_entities WHERE workspace = $w AND deleted = 0;").With("$w", name).ScalarInt64() ?? 0;
        Rows(session, name);
        session.Sql("DELETE FROM partition_tokens WHERE name = $n;").With("$n", name).ExecuteNonQuery();
        session.Sql("DELETE FROM partitions WHERE name = $n;").With("$n", name).ExecuteNonQuery();
        session.Touch(name);
        session.TouchAllDocuments(name);
        return (operations, documents);
    }
}

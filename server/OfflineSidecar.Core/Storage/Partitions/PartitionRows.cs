using OfflineSidecar.Core.Accounts;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Storage.Partitions;

/// <summary>partitions and partition_tokens: reads shared by the writer's jobs and the readers.</summary>
internal static class PartitionRows
{
    private const string Columns = "name, workspace, server, account, used_at";

    public static StorePartition? Get(StatementCache statements, string name)
    {
        using var row = statements.Sql($"SELECT {Columns} FROM partitions WHERE name = $n;").With("$n", name).ExecuteReader();
        return row.Read() ? Read(row) : null;
    }

    public static string? NameOf(StatementCache statements, string fingerprint) =>
        statements.Sql("SELECT name FROM partition_tokens WHERE fingerprint = $f;").With("$f", fingerprint).ExecuteScalar() as string;

    /// <summary>The partition of an account in a workspace on a server other than <paramref name="except"/>, the most recently used first.</summary>
    public static string? OfAccount(StatementCache statements, string workspace, string server, string account, string except) =>
        statements.Sql("""
                SELECT name FROM partitions
                WHERE workspace = $w AND server = $s AND account = $a AND name <> $n
                ORDER BY used_at DESC LIMIT 1;
                """)
            .With("$w", workspace).With("$s", server).With("$a", account).With("$n", except)
            .ExecuteScalar() as string;

    public static IReadOnlyList<StorePartition> All(StatementCache statements)
    {
        using var rows = statements.Sql($"SELECT {Columns} FROM partitions ORDER BY workspace, used_at DESC, name;").ExecuteReader();
        var all = new List<StorePartition>();
        while (rows.Read())
        {
            all.Add(Read(rows));
        }

        return all;
    }

    public static void Insert(WriteSession session, string name, string workspace, string server, string? account) =>
        session.Sql("INSERT INTO partitions (name, workspace, server, account, used_at) VALUES ($n, $w, $s, $a, $at);")
            .With("$n", name).With("$w", workspace).With("$s", server).With("$a", account).With("$at", session.NowMilliseconds)
            .ExecuteNonQuery();

    public static void Map(WriteSession session, string fingerprint, string name) =>
        session.Sql("""
                INSERT INTO partition_tokens (fingerprint, name) VALUES ($f, $n)
                ON CONFLICT (fingerprint) DO UPDATE SET name = excluded.name;
                """)
            .With("$f", fingerprint).With("$n", name)
            .ExecuteNonQuery();

    /// <summary>Credentials of nobody stop opening <paramref name="name"/>: it is an account's now.</summary>
    public static void Unmap(WriteSession session, string name, IReadOnlyList<string> fingerprints)
    {
        foreach (var fingerprint in fingerprints)
        {
            session.Sql("DELETE FROM partition_tokens WHERE fingerprint = $f AND name = $n;").With("$f", fingerprint).With("$n", name).ExecuteNonQuery();
        }
    }

    public static void Touch(WriteSession session, string name, string server) =>
        session.Sql("UPDATE partitions SET used_at = $at, server = $s WHERE name = $n;")
            .With("$at", session.NowMilliseconds).With("$s", server).With("$n", name)
            .ExecuteNonQuery();

    /// <summary>A name of its own for a new partition: the workspace id (readable in the CLI) and a fingerprint prefix.</summary>
    public static string NewName(StatementCache statements, string workspace, string fingerprint)
    {
        // The first partition of a workspace keeps its plain name: rows written under it before partitions existed
        // (or by a tool that knows only the workspace) are that partition's, and names stay readable in the common case.
        if (Get(statements, workspace) is null)
        {
            return workspace;
        }

        for (var digits = 12; ; digits += 4)
        {
            var suffix = "~" + fingerprint[..Math.Min(digits, fingerprint.Length)];
            var head = workspace.Length + suffix.Length > OperationInputRules.MaxKeyLength
                ? workspace[..(OperationInputRules.MaxKeyLength - suffix.Length)]
                : workspace;
            var name = head + suffix;
            if (Get(statements, name) is null || digits >= fingerprint.Length)
            {
                return name;
            }
        }
    }

    private static StorePartition Read(Microsoft.Data.Sqlite.SqliteDataReader row) => new(
        row.GetString(0),
        row.GetString(1),
        row.GetString(2),
        row.GetStringOrNull(3),
        row.GetInt64OrNull(4) is { } at ? UnixMilliseconds.To(at) : null);
}

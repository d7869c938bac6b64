using System.Data.Common;
using OfflineSync.Server.Wire;

namespace OfflineSync.Server.Storage;

/// <summary>A page of the changes feed from rows (seq, entity_id, type, version, payload, deleted), whichever store read them.</summary>
internal static class ChangeRows
{
    /// <summary>The query asked for one row past the page: its presence tells whether more follow without a second query.</summary>
    public static (List<ChangeRecord> Changes, long Last, bool HasMore) ReadPage(DbDataReader reader, long after, int limit)
    {
        var changes = new List<ChangeRecord>(Math.Min(limit, 1024));
        var last = after;
        while (reader.Read())
        {
            if (changes.Count == limit)
            {
                return (changes, last, true);
            }

            last = reader.GetInt64(0);
            var payload = reader.IsDBNull(4) ? null : new RawJson(reader.GetString(4));
            // SQLite keeps the flag as 0/1 and PostgreSQL as boolean; both readers answer GetBoolean.
            changes.Add(new ChangeRecord(reader.GetString(1), reader.GetString(2), reader.GetInt64(3), payload, reader.GetBoolean(5)));
        }

        return (changes, last, false);
    }
}

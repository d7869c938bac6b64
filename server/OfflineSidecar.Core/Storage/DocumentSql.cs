using OfflineSidecar.Core.Documents;

namespace OfflineSidecar.Core.Storage;

/// <summary>SQL fragments shared by the cache's reads and writes, so every place computes the same thing.</summary>
internal static class DocumentSql
{
    /// <summary>Operation statuses that are unfinished work (not succeeded): what reads overlay on the server's rows.</summary>
    public const string Unfinished = "status <> " + StoredStatus.Succeeded;

    /// <summary>
    /// The size the editor sees for a payload <paramref name="json"/>: the UTF-8 bytes of a document's text
    /// (<c>{"content": "…", "encoding": "utf-8"}</c>, encoding optional), else the payload's own bytes. SQLite computes it
    /// so that a listing never carries payloads out of the database.
    /// </summary>
    public static string SizeOf(string json) => $"""
        (CASE WHEN json_valid({json}) AND json_type({json}, '$.content') = 'text'
                   AND lower(COALESCE(json_extract({json}, '$.encoding'), '{DocumentPayload.Encoding}')) = '{DocumentPayload.Encoding}'
              THEN length(CAST(json_extract({json}, '$.content') AS BLOB))
              ELSE length(CAST({json} AS BLOB)) END)
        """;
}

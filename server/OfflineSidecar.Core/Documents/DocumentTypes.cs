namespace OfflineSidecar.Core.Documents;

/// <summary>The two operation types whose effect the sidecar knows, so it can show it before the server confirms it.</summary>
public static class DocumentTypes
{
    public const string Put = "document.put.v1";

    public const string Delete = "document.delete.v1";

    /// <summary>SQL list of both, for <c>type IN (…)</c>.</summary>
    internal const string SqlList = "'document.put.v1', 'document.delete.v1'";

    public static bool IsDocument(string type) => type is Put or Delete;
}

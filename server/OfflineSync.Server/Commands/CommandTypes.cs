namespace OfflineSync.Server.Commands;

internal static class CommandTypes
{
    public const string DocumentPut = "document.put.v1";
    public const string DocumentDelete = "document.delete.v1";

    /// <summary>Always rejected with <see cref="ResultCodes.ValidationFailed"/>: lets tests and demos produce a
    /// permanent failure on demand without a fault switch.</summary>
    public const string TestReject = "test.reject.v1";

    /// <summary>The type of the command that left a document in this state: only puts and deletes change
    /// documents, and each sets <c>deleted</c> its own way.</summary>
    public static string ThatLeaves(bool deleted) => deleted ? DocumentDelete : DocumentPut;
}

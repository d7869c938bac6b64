namespace OfflineSync.Server.Commands;

/// <summary>Blobs are named by the SHA-256 of their content, in lowercase hex.</summary>
internal static class BlobNames
{
    public static bool IsValid(string name) =>
        name.Length == 64 && name.All(static c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}

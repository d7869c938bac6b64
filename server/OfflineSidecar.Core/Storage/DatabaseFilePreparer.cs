using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OfflineSidecar.Core.Storage;

/// <summary>
/// Gets the database file ready before the store opens it: an owner-only directory and file, and a
/// damaged file moved aside (kept for inspection) so the user gets a working queue instead of a crash loop.
/// </summary>
internal static class DatabaseFilePreparer
{
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly string[] SideFileSuffixes = ["-wal", "-shm"];

    internal sealed record Outcome(bool Created, bool RecoveredFromCorruption, string? MovedAsidePath, string? CorruptionReason);

    public static Outcome Prepare(string path, TimeSpan busyTimeout, TimeProvider time)
    {
        EnsureDirectory(Path.GetDirectoryName(path));

        string? movedAside = null;
        string? reason = null;
        if (File.Exists(path))
        {
            reason = FindCorruption(path, busyTimeout);
            if (reason is null)
            {
                return new Outcome(Created: false, RecoveredFromCorruption: false, MovedAsidePath: null, CorruptionReason: null);
            }

            movedAside = MoveAside(path, time);
        }

        CreateOwnerOnlyFile(path);
        return new Outcome(Created: true, RecoveredFromCorruption: movedAside is not null, movedAside, reason);
    }

    private static void EnsureDirectory(string? directory)
    {
        if (string.IsNullOrEmpty(directory) || Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }
    }

    private static void CreateOwnerOnlyFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        try
        {
            using var _ = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it between our check and now; SQLite handles a shared new file.
        }
    }

    /// <summary>Null when the file is a healthy database (an empty file is a new database).</summary>
    private static string? FindCorruption(string path, TimeSpan busyTimeout)
    {
        if (new FileInfo(path).Length == 0)
        {
            return null;
        }

        // Checked before SQLite opens the file: on a file that is not a WAL database SQLite deletes a stray -wal,
        // and that file is evidence worth keeping next to the moved-aside database.
        if (!HasSqliteHeader(path))
        {
            return "not a SQLite database (bad file header)";
        }

        try
        {
            using var connection = StoreConnections.Open(path, busyTimeout);
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check;";
            using var reader = command.ExecuteReader();
            var problems = new List<string>();
            while (reader.Read() && problems.Count < 5)
            {
                problems.Add(reader.GetString(0));
            }

            return problems is ["ok"] ? null : string.Join("; ", problems);
        }
        catch (SqliteException error) when (error.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            return error.Message;
        }
    }

    private static bool HasSqliteHeader(string path)
    {
        ReadOnlySpan<byte> magic = "SQLite format 3\0"u8;
        Span<byte> header = stackalloc byte[16];
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length && header.SequenceEqual(magic);
    }

    internal static string MoveAside(string path, TimeProvider time)
    {
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var target = $"{path}.corrupt-{stamp}";
        for (var n = 1; File.Exists(target); n++)
        {
            target = $"{path}.corrupt-{stamp}-{n}";
        }

        File.Move(path, target);
        foreach (var suffix in SideFileSuffixes)
        {
            if (File.Exists(path + suffix))
            {
                File.Move(path + suffix, target + suffix);
            }
        }

        return target;
    }
}

using System.Globalization;
using System.Security.Cryptography;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;

namespace OfflineSidecar.Core.Storage.Attachments;

/// <summary>
/// The content-addressed files of attachments, in <c>attachments/</c> beside the database: one file per SHA-256
/// (lowercase hex), shared by every operation and partition that attaches the same bytes.
/// <para>A file enters in two steps. <see cref="Stage"/> (on the caller's thread) copies the source into
/// <c>attachments/staging/</c>, hashing as it goes, and flushes it. <see cref="Commit"/> (inside the writer transaction
/// that inserts the operation, so under SQLite's write lock) renames it to its hash and flushes the directory. Files
/// leave only through <see cref="Delete"/>, also under the write lock after a check that no unfinished operation
/// references them (<see cref="BlobSweep"/>): so no process deletes a blob that another one is committing a
/// reference to.</para>
/// </summary>
internal sealed class BlobStore
{
    private const int CopyBufferBytes = 81920;
    private const string StagingSuffix = ".tmp";

    public BlobStore(string directory)
    {
        Directory = directory;
        StagingDirectory = Path.Combine(directory, "staging");
    }

    public string Directory { get; }

    public string StagingDirectory { get; }

    public static bool IsBlobName(string name) =>
        name.Length == 64 && name.All(static c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    public string PathOf(string sha256) => Path.Combine(Directory, sha256);

    /// <summary>
    /// Copies <paramref name="source"/> into staging, durable and hashed. Throws AttachmentUnreadable for a missing or
    /// unreadable file and AttachmentTooLarge over <paramref name="maxBytes"/> (also when it grows while being copied).
    /// </summary>
    public StagedAttachment Stage(AttachmentSource source, long maxBytes, string field, string owner)
    {
        var name = string.IsNullOrWhiteSpace(source.Name) ? Path.GetFileName(source.Path) : source.Name;
        FileStream input;
        try
        {
            input = new FileStream(source.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, CopyBufferBytes);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new QueueException(QueueErrorKind.AttachmentUnreadable, $"{field}.path: cannot read {source.Path}: {error.Message}", error);
        }

        using (input)
        {
            // A pipe has no length: the copy below still stops at the limit.
            if (input.CanSeek && input.Length > maxBytes)
            {
                throw TooLarge(field, source.Path, input.Length, maxBytes);
            }

            EnsureDirectories();
            var staging = Path.Combine(StagingDirectory, StagingName(owner));
            try
            {
                var (sha256, size) = CopyAndHash(input, staging, maxBytes, field, source.Path);
                return new StagedAttachment(new OperationAttachment(sha256, name, source.MediaType, size), staging);
            }
            catch
            {
                File.Delete(staging);
                throw;
            }
        }
    }

    /// <summary>Stages bytes carried by an export file; the hash must be the one the file names them by.</summary>
    public StagedAttachment StageBytes(OperationAttachment reference, ReadOnlySpan<byte> content, string owner)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        if (sha256 != reference.Sha256 || content.Length != reference.Size)
        {
            throw new QueueException(
                QueueErrorKind.InvalidArgument, $"import: the content of attachment {reference.Name} does not match its sha256 and size");
        }

        EnsureDirectories();
        var staging = Path.Combine(StagingDirectory, StagingName(owner));
        using (var output = new FileStream(staging, OwnerOnlyNewFile()))
        {
            output.Write(content);
            output.Flush(flushToDisk: true);
        }

        return new StagedAttachment(reference, staging);
    }

    /// <summary>Writer only: moves a staged copy to its hash's name (an existing blob has the same bytes) and makes the
    /// name durable before the transaction that references it commits.</summary>
    /// <returns>Whether a file was moved in: the caller flushes the directory once for all it moved.</returns>
    public bool Commit(StagedAttachment staged)
    {
        var target = PathOf(staged.Reference.Sha256);
        if (File.Exists(target))
        {
            staged.DeleteIfLeft();
            return false;
        }

        File.Move(staged.StagingPath, target);
        return true;
    }

    /// <summary>The blob's bytes, or null when its file is gone.</summary>
    public byte[]? Read(string sha256)
    {
        try
        {
            return IsBlobName(sha256) ? File.ReadAllBytes(PathOf(sha256)) : null;
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A read stream over the blob (sequential, async), or null when its file is gone.</summary>
    public FileStream? Open(string sha256)
    {
        try
        {
            return IsBlobName(sha256)
                ? new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, CopyBufferBytes, FileOptions.Asynchronous | FileOptions.SequentialScan)
                : null;
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Writer only, after checking no unfinished operation references it.</summary>
    public void Delete(string sha256) => File.Delete(PathOf(sha256));

    public IEnumerable<string> ListBlobs() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory).Select(Path.GetFileName).OfType<string>().Where(IsBlobName)
            : [];

    /// <summary>Deletes staging copies left by processes that ended before their enqueue finished.</summary>
    public int DeleteStagingOfEndedProcesses()
    {
        if (!System.IO.Directory.Exists(StagingDirectory))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var path in System.IO.Directory.EnumerateFiles(StagingDirectory, "*" + StagingSuffix))
        {
            var name = Path.GetFileName(path);
            var owner = name[..^StagingSuffix.Length].Replace('~', ':');
            var lastColon = owner.LastIndexOf(':');
            if (lastColon > 0 && ProcessOwner.IsGone(owner[..lastColon]))
            {
                File.Delete(path);
                deleted++;
            }
        }

        return deleted;
    }

    private static QueueException TooLarge(string field, string path, long size, long maxBytes) => new(
        QueueErrorKind.AttachmentTooLarge,
        string.Create(CultureInfo.InvariantCulture, $"{field}: {path} has {size} bytes, more than the limit of {maxBytes} bytes (offlineSync.attachments.maxSizeMB)"));

    /// <summary>The owner's name (machine:pid:guid, ':' written as '~') and a fresh guid: a start can tell whose it was.</summary>
    private static string StagingName(string owner) => $"{owner.Replace(':', '~')}~{Guid.NewGuid():N}{StagingSuffix}";

    private static (string Sha256, long Size) CopyAndHash(FileStream input, string staging, long maxBytes, string field, string sourcePath)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var output = new FileStream(staging, OwnerOnlyNewFile());
        var buffer = new byte[CopyBufferBytes];
        long size = 0;
        int read;
        while ((read = ReadSome(input, buffer, field, sourcePath)) > 0)
        {
            size += read;
            if (size > maxBytes)
            {
                throw TooLarge(field, sourcePath, size, maxBytes);
            }

            hash.AppendData(buffer, 0, read);
            output.Write(buffer, 0, read);
        }

        output.Flush(flushToDisk: true);
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    private static int ReadSome(FileStream input, byte[] buffer, string field, string sourcePath)
    {
        try
        {
            return input.Read(buffer, 0, buffer.Length);
        }
        catch (IOException error)
        {
            throw new QueueException(QueueErrorKind.AttachmentUnreadable, $"{field}.path: cannot read {sourcePath}: {error.Message}", error);
        }
    }

    private void EnsureDirectories()
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(StagingDirectory);
            return;
        }

        // Attachments are user data: owner-only, like the database.
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        System.IO.Directory.CreateDirectory(Directory, ownerOnly);
        System.IO.Directory.CreateDirectory(StagingDirectory, ownerOnly);
    }

    private static FileStreamOptions OwnerOnlyNewFile()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }
}

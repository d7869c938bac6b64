using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Storage.Attachments;

/// <summary>An attachment whose content is already copied, flushed and hashed in the staging directory
/// (<see cref="StagingPath"/>), waiting for the writer to move it into the store with its operation.</summary>
internal sealed record StagedAttachment(OperationAttachment Reference, string StagingPath)
{
    /// <summary>After the write job ran (or never will): a staged copy it did not move is not needed any more.</summary>
    public void DeleteIfLeft()
    {
        try
        {
            File.Delete(StagingPath);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The next start collects staging files of processes that are gone.
        }
    }
}

namespace OfflineSidecar.Core.Storage.Salvage;

/// <summary>What a salvage of a damaged store file got back.</summary>
/// <param name="Recovered">Unfinished operations read from the damaged file whole: their rows, and their attachments
/// still in the blob store.</param>
/// <param name="Reimported">Of those, put back in the queue (with their original idempotency keys).</param>
/// <param name="AlreadyQueued">Of those, already in the queue (an earlier salvage of the same file).</param>
/// <param name="Lost">Unfinished operations the damaged file counted but whose rows could not be read (or whose
/// attachments are gone); null when its counts could not be read either.</param>
public sealed record SalvageReport(int Recovered, int Reimported, int AlreadyQueued, int? Lost)
{
    public string Describe() =>
        $"{Recovered} unsynced operation(s) recovered, {Reimported} put back in the queue"
        + (AlreadyQueued > 0 ? $", {AlreadyQueued} already there" : "")
        + (Lost is { } lost ? $", {lost} lost" : ", the number lost is unknown (the file's counts are unreadable)");
}

using OfflineSidecar.Core.Storage.Salvage;

namespace OfflineSidecar.Core.Storage.Diagnosis;

/// <summary>
/// Fixes what <see cref="StoreDoctor"/> found: a damaged file is moved aside and its unfinished operations salvaged into
/// a new one, drifted counts are recounted from the rows, a file open to others is made owner-only. A schema newer than
/// this sidecar is left alone: a newer sidecar wrote it and an older one must not touch it.
/// </summary>
public static class StoreRepair
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    private static readonly string[] SideFileSuffixes = ["-wal", "-shm"];

    public sealed record Outcome(IReadOnlyList<string> Actions, SalvageReport? Salvage);

    public static async Task<Outcome> RepairAsync(StoreDiagnosis diagnosis, StoreOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        ArgumentNullException.ThrowIfNull(options);
        var actions = new List<string>();
        if (!diagnosis.Exists || diagnosis.Healthy)
        {
            return new Outcome(actions, null);
        }

        if (Failed(diagnosis, "schema") is { } schema && schema.Detail.Contains("newer", StringComparison.Ordinal))
        {
            actions.Add($"left as it is: {schema.Detail}");
            return new Outcome(actions, null);
        }

        var path = diagnosis.DatabasePath;
        string? movedAside = null;
        if ((Failed(diagnosis, "quick_check") ?? Failed(diagnosis, "integrity_check") ?? Failed(diagnosis, "open")) is { } damage)
        {
            movedAside = DatabaseFilePreparer.MoveAside(path, time);
            actions.Add($"moved the damaged file ({damage.Detail}) to {movedAside}");
        }

        // A moved-aside file is replaced by a new owner-only one.
        if (Failed(diagnosis, "permissions") is not null && movedAside is null && !OperatingSystem.IsWindows())
        {
            MakeOwnerOnly(path);
            actions.Add("made the store owner-only (chmod 600 on its files, 700 on its directory)");
        }

        var store = SqliteOperationStore.Open(options with { DatabasePath = path }, time);
        await using var _ = store.ConfigureAwait(false);
        SalvageReport? salvage = null;
        if (movedAside is not null)
        {
            salvage = store.Salvage(movedAside);
            actions.Add($"salvaged into a new store: {salvage.Describe()}");
        }

        if (Failed(diagnosis, "counts") is not null)
        {
            await store.Writer.RunAsync(CountRebuild.Run, CancellationToken.None).ConfigureAwait(false);
            actions.Add("recounted the queue counts from the operations");
        }

        return new Outcome(actions, salvage);
    }

    private static StoreCheck? Failed(StoreDiagnosis diagnosis, string name) =>
        diagnosis.Checks.FirstOrDefault(c => c.Name == name && !c.Ok);

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void MakeOwnerOnly(string path)
    {
        File.SetUnixFileMode(path, OwnerOnlyFile);
        foreach (var suffix in SideFileSuffixes)
        {
            if (File.Exists(path + suffix))
            {
                File.SetUnixFileMode(path + suffix, OwnerOnlyFile);
            }
        }

        if (Path.GetDirectoryName(path) is { Length: > 0 } directory)
        {
            File.SetUnixFileMode(directory, OwnerOnlyDirectory);
        }
    }
}

namespace OfflineSidecar.Core.Storage.Diagnosis;

/// <summary>What <see cref="StoreDoctor"/> found in one database file.</summary>
public sealed record StoreDiagnosis(string DatabasePath, bool Exists, IReadOnlyList<StoreCheck> Checks)
{
    public bool Healthy => Exists && Checks.All(static c => c.Ok);
}

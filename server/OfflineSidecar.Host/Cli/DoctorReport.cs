using OfflineSidecar.Core.Storage.Diagnosis;

namespace OfflineSidecar.Host.Cli;

/// <summary><c>doctor --json</c>: the database examined, whether it needs nothing, and every check.</summary>
internal sealed record DoctorReport(string DatabasePath, bool Exists, bool Healthy, IReadOnlyList<StoreCheck> Checks);

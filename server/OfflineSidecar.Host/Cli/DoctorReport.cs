using OfflineSidecar.Core.Storage.Diagnosis;
using OfflineSidecar.Core.Storage.Salvage;

namespace OfflineSidecar.Host.Cli;

/// <summary><c>doctor --json</c>: the database examined, whether it needs nothing, and every check; with <c>--repair</c>,
/// what was done before the checks (null without it) and what a salvage got back.</summary>
internal sealed record DoctorReport(
    string DatabasePath, bool Exists, bool Healthy, IReadOnlyList<StoreCheck> Checks, IReadOnlyList<string>? Repairs, SalvageReport? Salvage);

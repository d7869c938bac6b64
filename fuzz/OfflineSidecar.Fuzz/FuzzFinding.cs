namespace OfflineSidecar.Fuzz;

/// <summary>Thrown under afl-fuzz so the input is recorded as a crash.</summary>
public sealed class FuzzFinding(string message) : Exception(message);

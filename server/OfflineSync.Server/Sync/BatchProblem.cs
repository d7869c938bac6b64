namespace OfflineSync.Server.Sync;

/// <summary>Why a whole batch is refused before any command is looked at.</summary>
internal sealed record BatchProblem(int StatusCode, string Code, string Message);

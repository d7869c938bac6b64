namespace OfflineSync.Server.Hosting;

/// <summary>Exactly one of <see cref="Options"/>, <see cref="Error"/> or <see cref="ShowHelp"/> is set.</summary>
internal sealed record CommandLineResult(SyncServerOptions? Options, string? Error, bool ShowHelp);

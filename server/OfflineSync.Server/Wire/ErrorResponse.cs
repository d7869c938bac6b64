namespace OfflineSync.Server.Wire;

/// <summary>Body of every whole-request failure (4xx/5xx).</summary>
internal sealed record ErrorResponse(string Code, string Message);

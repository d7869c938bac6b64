namespace OfflineSync.Server.Wire;

internal sealed record WhoAmIResponse(string AccountId);

namespace OfflineSidecar.Integration.Tests.Support;

internal sealed record ChangesPage(List<ServerChange> Changes, string Cursor, bool HasMore);

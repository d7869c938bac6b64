namespace OfflineSidecar.Sync.Tests.Support;

internal sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

namespace OfflineSidecar.Sync.Tests.Support;

internal sealed record ScriptedResponse(int Status, string? Body = null, IReadOnlyList<(string Name, string Value)>? Headers = null)
{
    /// <summary>Close the connection (with a reset) instead of answering.</summary>
    public bool Drop { get; init; }

    /// <summary>Never answer.</summary>
    public bool Hang { get; init; }

    public static ScriptedResponse Dropped => new(0) { Drop = true };

    public static ScriptedResponse Hung => new(0) { Hang = true };
}

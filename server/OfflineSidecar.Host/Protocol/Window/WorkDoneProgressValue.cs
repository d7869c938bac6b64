using System.Text.Json.Serialization;

namespace OfflineSidecar.Host.Protocol.Window;

/// <summary>One of LSP's WorkDoneProgressBegin/Report/End; members a kind does not carry are omitted.</summary>
public sealed record WorkDoneProgressValue
{
    public required WorkDoneProgressKind Kind { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Title { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Percentage { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Cancellable { get; init; }
}

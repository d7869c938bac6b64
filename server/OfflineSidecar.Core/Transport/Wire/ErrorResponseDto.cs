namespace OfflineSidecar.Core.Transport.Wire;

/// <summary>The body of a whole-request refusal, when the server sends one.</summary>
internal sealed class ErrorResponseDto
{
    public string? Code { get; set; }
    public string? Message { get; set; }
    public string? Error { get; set; }
}

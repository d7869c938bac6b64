namespace OfflineSidecar.Core.Transport.Wire;

internal sealed class CommandResultDto
{
    public string? CommandId { get; set; }
    public string? Status { get; set; }
    public long? Version { get; set; }
    public ServerStateDto? Server { get; set; }
    public string? Code { get; set; }
    public string? Message { get; set; }
}

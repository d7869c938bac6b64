namespace OfflineSidecar.Core.Transport.Wire;

internal sealed class CommandsResponseDto
{
    public DateTimeOffset? ServerTime { get; set; }
    public List<CommandResultDto>? Results { get; set; }
}

namespace OfflineSidecar.Core.Transport.Wire;

/// <summary>The batch answer as the sidecar reads it. Its <c>serverTime</c> is left unread: the clock estimate comes from
/// health and the <c>Date</c> headers (docs/sync-protocol.md), and a value this client cannot parse must not turn an
/// applied batch into a malformed answer.</summary>
internal sealed class CommandsResponseDto
{
    public List<CommandResultDto>? Results { get; set; }
}

using OfflineSidecar.Core.Queue;
using OfflineSidecar.Host.Errors;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Tests.Errors;

public sealed class SidecarErrorMapperTests
{
    [Theory]
    [InlineData(QueueErrorKind.StorageFull, 1003)]
    [InlineData(QueueErrorKind.LowDiskSpace, 1009)]
    [InlineData(QueueErrorKind.InvalidArgument, JsonRpcErrorCodes.InvalidParams)]
    [InlineData(QueueErrorKind.AttachmentUnreadable, 1010)]
    [InlineData(QueueErrorKind.AttachmentTooLarge, 1011)]
    public void Queue_refusals_keep_their_protocol_codes_and_messages(QueueErrorKind kind, int code)
    {
        JsonRpcError? error = SidecarErrorMapper.Map(new QueueException(kind, "payload: something"));

        Assert.NotNull(error);
        Assert.Equal(code, error.Code);
        Assert.Equal("payload: something", error.Message);
    }
}

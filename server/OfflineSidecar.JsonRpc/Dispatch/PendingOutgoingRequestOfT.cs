using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OfflineSidecar.JsonRpc.Dispatch;

internal sealed class PendingOutgoingRequest<TResult>(JsonTypeInfo<TResult> resultType) : PendingOutgoingRequest
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<TResult> Task => _completion.Task;

    public override void Complete(JsonElement result)
    {
        try
        {
            _completion.TrySetResult(result.Deserialize(resultType)!);
        }
        catch (JsonException ex)
        {
            _completion.TrySetException(ex);
        }
    }

    public override void Fail(Exception error) => _completion.TrySetException(error);
}

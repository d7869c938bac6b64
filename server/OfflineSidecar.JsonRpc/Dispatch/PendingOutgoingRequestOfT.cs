using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OfflineSidecar.JsonRpc.Dispatch;

internal sealed class PendingOutgoingRequest<TResult>(JsonTypeInfo<TResult> resultType) : PendingOutgoingRequest
{
    private readonly TaskCompletionSource<TResult> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<TResult> Task => completion.Task;

    public override void Complete(JsonElement result)
    {
        try
        {
            completion.TrySetResult(result.Deserialize(resultType)!);
        }
        catch (JsonException ex)
        {
            completion.TrySetException(ex);
        }
    }

    public override void Fail(Exception error) => completion.TrySetException(error);
}

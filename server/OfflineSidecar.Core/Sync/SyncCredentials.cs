namespace OfflineSidecar.Core.Sync;

/// <summary>
/// The bearer token requests are sent with, and its generation: a refusal of a request sent with an older generation
/// says nothing about the token set since. Set from any thread; read by the loop and the sends.
/// </summary>
internal sealed class SyncCredentials
{
    private volatile string? token;
    private long generation;

    public string? Token => token;

    public long Generation => Volatile.Read(ref generation);

    public void Set(string? value)
    {
        token = value;
        Interlocked.Increment(ref generation);
    }
}

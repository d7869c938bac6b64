namespace OfflineSidecar.Host.Tests.Support;

/// <summary>Generous: the machine running the tests is shared and slow; nothing here waits this long when it works.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Message = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan Process = TimeSpan.FromSeconds(30);
}

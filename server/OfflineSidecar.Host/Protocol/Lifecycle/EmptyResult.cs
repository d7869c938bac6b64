namespace OfflineSidecar.Host.Protocol.Lifecycle;

/// <summary>The result <c>{}</c>.</summary>
public sealed record EmptyResult
{
    public static readonly EmptyResult Value = new();
}

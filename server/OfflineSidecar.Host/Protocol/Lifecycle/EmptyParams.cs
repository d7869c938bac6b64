namespace OfflineSidecar.Host.Protocol.Lifecycle;

/// <summary>Params of a method that takes none: accepts an absent <c>params</c> or <c>{}</c>.</summary>
public sealed record EmptyParams;

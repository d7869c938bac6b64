using System.Text.Json.Serialization;
using OfflineSidecar.Host.Protocol.Serialization;

namespace OfflineSidecar.Host.Protocol.Lifecycle;

/// <summary>A result that is JSON <c>null</c> on the wire (<c>shutdown</c>, <c>window/workDoneProgress/create</c>).</summary>
[JsonConverter(typeof(NullResultConverter))]
public sealed class NullResult
{
    public static readonly NullResult Value = new();

    private NullResult() { }
}

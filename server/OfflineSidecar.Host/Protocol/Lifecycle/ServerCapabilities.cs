namespace OfflineSidecar.Host.Protocol.Lifecycle;

public sealed record ServerCapabilities(ExperimentalCapabilities Experimental);

using OfflineSidecar.Core.Operations;

namespace OfflineSidecar.Core.Storage.Salvage;

/// <summary>An unfinished operation read back from a damaged store, with the partition it belonged to.</summary>
internal sealed record SalvagedOperation(string Workspace, NewOperation Operation, IReadOnlyList<OperationAttachment> Attachments);

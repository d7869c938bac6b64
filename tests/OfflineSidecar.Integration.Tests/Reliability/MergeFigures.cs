namespace OfflineSidecar.Integration.Tests.Reliability;

/// <param name="Merged">Acknowledged sidecar edits whose history shows a three-way merge (a conflict merged and sent again).</param>
/// <param name="Problems">Documents whose final text lost the last applied edit of one side.</param>
internal sealed record MergeFigures(int Edits, int Merged, int OtherClientWrites, int KillsWithEditOnTheWire, IReadOnlyList<string> Problems);

namespace OfflineSidecar.Core.Accounts;

/// <summary>What learning an account changed: the partition to use from now on, and how many operations moved into it.</summary>
/// <param name="Partition">The partition the credentials open now (the same one when nothing had to move).</param>
/// <param name="MovedOperations">Operations of a provisional partition merged into the account's own.</param>
public sealed record AccountSwitch(string Partition, int MovedOperations);

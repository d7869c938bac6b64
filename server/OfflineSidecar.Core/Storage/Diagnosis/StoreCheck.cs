namespace OfflineSidecar.Core.Storage.Diagnosis;

/// <summary>One finding of <see cref="StoreDoctor"/>: what was checked, whether it is fine, and what was seen.</summary>
public sealed record StoreCheck(string Name, bool Ok, string Detail);

namespace OfflineSidecar.Core.Sync;

/// <summary>The server said which account the credentials act for (GET /sync/whoami).</summary>
/// <remarks>A class, not a record: a record's ToString would print the token into any log it reached.</remarks>
public sealed class AccountIdentity(string? token, string accountId)
{
    /// <summary>The credentials asked about (null: none), so a late answer is matched to the credentials it is about.</summary>
    public string? Token { get; } = token;

    public string AccountId { get; } = accountId;

    public override string ToString() => "account " + AccountId;
}

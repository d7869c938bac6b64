using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Transport;
using OfflineSidecar.Sync.Tests.Support;

namespace OfflineSidecar.Sync.Tests.Accounts;

/// <summary>The worker asks the server whose its credentials are before it sends anything with them.</summary>
public sealed class AccountIdentityTests
{
    [Fact]
    public async Task The_account_is_asked_for_before_the_first_batch_and_again_after_new_credentials()
    {
        await using var h = new EngineHarness();
        var identities = new List<AccountIdentity>();
        h.Engine.AccountIdentified += (_, identity) => { lock (identities) { identities.Add(identity); } };
        h.TransportStub.Account = token => ServerRead<string>.Ok(token == "t-bob" ? "bob" : "alice");
        h.Engine.SetCredentials("t-alice");
        h.StoreStub.Add("a");

        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.TransportStub.Sent.Count == 1, "the first batch");
        Assert.Equal(["t-alice"], h.TransportStub.AccountQuestions);
        var first = Assert.Single(identities);
        Assert.Equal(("t-alice", "alice"), (first.Token, first.AccountId));
        Assert.Equal("account alice", first.ToString());

        h.Engine.SetCredentials("t-bob");
        await h.UntilAsync(() => identities.Count == 2, "asked again for the new credentials");
        Assert.Equal(("t-bob", "bob"), (identities[1].Token, identities[1].AccountId));
    }

    [Fact]
    public async Task A_server_without_accounts_is_asked_once_and_sending_goes_on()
    {
        await using var h = new EngineHarness();
        h.StoreStub.Add("a");

        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.TransportStub.Sent.Count == 1, "the batch");
        h.Engine.Wake();
        await h.AdvanceAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));

        Assert.Single(h.TransportStub.AccountQuestions);
    }

    [Fact]
    public async Task Refused_credentials_stop_at_the_question_and_nothing_is_sent_with_them()
    {
        await using var h = new EngineHarness();
        h.TransportStub.Account = _ => ServerRead<string>.Failed(SendBatchResult.AuthFailed(401, "invalid token"));
        h.Engine.SetCredentials("wrong");
        h.StoreStub.Add("a");

        await h.Engine.StartAsync();
        await h.UntilAsync(() => h.Engine.State.Connectivity == OfflineSidecar.Core.Sync.Connectivity.AuthRequired, "auth required");

        Assert.Empty(h.TransportStub.Sent);
        Assert.Equal(1, h.Count(SyncEventKind.AuthRequired));
    }
}

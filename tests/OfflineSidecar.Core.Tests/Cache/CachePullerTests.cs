using NSubstitute;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Core.Tests.Cache;

/// <summary>One pull with a scripted feed (the transport substituted) into a real store on a file.</summary>
public sealed class CachePullerTests : CacheTestBase
{
    private const string Server = "http://127.0.0.1:1/";
    private const string ServerWorkspace = "ws-on-the-server";
    private readonly ISyncTransport transport = Substitute.For<ISyncTransport>();
    private readonly Queue<ServerRead<ChangesPage>> answers = new();
    private readonly List<string?> asked = [];
    private readonly List<string> askedWorkspaces = [];

    public CachePullerTests() =>
        transport.GetChangesAsync(default!, default, default, default, default, default).ReturnsForAnyArgs(call =>
        {
            askedWorkspaces.Add(call.ArgAt<string>(0));
            asked.Add(call.ArgAt<string?>(2));
            return Task.FromResult(answers.Dequeue());
        });

    /// <summary>What the server answers next, one request after another.</summary>
    private void Feed(params ServerRead<ChangesPage>[] next)
    {
        foreach (var answer in next)
        {
            answers.Enqueue(answer);
        }
    }

    private static ServerRead<ChangesPage> Page(string cursor, bool more, params ChangeRecord[] changes) =>
        ServerRead<ChangesPage>.Ok(new ChangesPage(changes, cursor, more, null));

    private CachePuller Puller() => new(Cache, ServerWorkspace);

    private Task<PullOutcome> PullAsync(Func<bool>? shouldYield = null, CancellationToken cancellationToken = default) =>
        Puller().RunAsync(transport, "token", Server, shouldYield ?? (() => false), _ => { }, cancellationToken);

    [Fact]
    public async Task A_refused_page_writes_nothing_and_the_pages_before_it_stay()
    {
        Feed(Page("10", true, Put("a", 1, "x")), ServerRead<ChangesPage>.Malformed("the changes answer is not usable: cursor went backwards"));

        var outcome = await PullAsync();

        Assert.Equal(PullStop.Malformed, outcome.Stop);
        Assert.Contains("backwards", outcome.Problem, StringComparison.Ordinal);
        Assert.Equal("10", (await Cache.GetPullStateAsync()).Cursor);
        Assert.Null((await Cache.GetPullStateAsync()).LastPulledAt);
        Assert.Equal(1, (await Cache.GetTotalsAsync()).Entities);
    }

    [Fact]
    public async Task An_expired_cursor_starts_over_from_the_beginning_once_and_a_second_refusal_stops()
    {
        Feed(Page("10", false, Put("a", 1, "x")));
        await PullAsync();
        Feed(ServerRead<ChangesPage>.CursorExpired("compacted"), Page("20", false, Put("b", 1, "y")));

        var outcome = await PullAsync();

        Assert.Equal(PullStop.Complete, outcome.Stop);
        Assert.Equal(["10", null], asked.Skip(1));
        Assert.Null(await Cache.GetAsync("a"));
        Assert.NotNull(await Cache.GetAsync("b"));

        Feed(ServerRead<ChangesPage>.CursorExpired("compacted"), ServerRead<ChangesPage>.CursorExpired("compacted again"));
        Assert.Equal(PullStop.Malformed, (await PullAsync()).Stop);
    }

    [Fact]
    public async Task A_pull_yields_between_pages_and_the_next_one_resumes_from_its_cursor()
    {
        Feed(Page("10", true, Put("a", 1, "x")), Page("20", false, Put("b", 1, "y")));
        var yielded = await PullAsync(shouldYield: () => true);
        var resumed = await PullAsync();

        Assert.Equal((PullStop.Yielded, 1L), (yielded.Stop, yielded.Result.Pulled));
        Assert.Equal((PullStop.Complete, 1L), (resumed.Stop, resumed.Result.Pulled));
        Assert.Equal([null, "10"], asked);
        // Every page is asked for the server's name of the workspace, not the cache partition's.
        Assert.Equal([ServerWorkspace, ServerWorkspace], askedWorkspaces);
        Assert.NotEqual(ServerWorkspace, Cache.WorkspaceId);
    }

    [Fact]
    public async Task A_cancelled_pull_keeps_the_page_it_was_given()
    {
        using var cancel = new CancellationTokenSource();
        Feed(Page("10", true, Put("a", 1, "x")), Page("20", false, Put("b", 1, "y")));
        var pages = 0;

        var outcome = await Puller().RunAsync(transport, null, Server, () => false, _ =>
        {
            if (++pages == 1)
            {
                cancel.Cancel();
            }
        }, cancel.Token);

        Assert.Equal(PullStop.Cancelled, outcome.Stop);
        Assert.NotNull(await Cache.GetAsync("a"));
        Assert.Equal("10", (await Cache.GetPullStateAsync()).Cursor);
    }

    [Fact]
    public async Task A_cache_pulled_from_another_server_is_refetched_whole()
    {
        Feed(Page("10", false, Put("a", 1, "x")));
        await PullAsync();
        Feed(Page("99", false, Put("b", 1, "y")));

        var outcome = await Puller().RunAsync(transport, null, "https://elsewhere.example/", () => false, _ => { }, default);

        Assert.Equal(PullStop.Complete, outcome.Stop);
        Assert.Null(asked[^1]);
        Assert.Null(await Cache.GetAsync("a"));
        Assert.Equal("https://elsewhere.example/", (await Cache.GetPullStateAsync()).Server);
    }
}

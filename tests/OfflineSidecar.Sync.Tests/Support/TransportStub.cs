using NSubstitute;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Transport;

namespace OfflineSidecar.Sync.Tests.Support;

/// <summary>An NSubstitute'd transport whose answers a test scripts with <see cref="Respond"/>; it records every call.</summary>
internal sealed class TransportStub
{
    private readonly Lock gate = new();
    private readonly List<SentBatch> sent = [];
    private int probes;
    private int answered;
    private readonly List<DateTimeOffset> probeTimes = [];
    private readonly List<string?> accountQuestions = [];
    private readonly List<(Func<bool> Reached, TaskCompletionSource Done)> waits = [];

    public TimeProvider? Clock { get; set; }

    public IReadOnlyList<DateTimeOffset> ProbeTimes
    {
        get
        {
            lock (gate)
            {
                return [.. probeTimes];
            }
        }
    }

    public TransportStub()
    {
        Transport.SendBatchAsync(default!, default!, default, default!, default).ReturnsForAnyArgs(async ci =>
        {
            var batch = new SentBatch(ci.ArgAt<IReadOnlyList<Operation>>(3), ci.ArgAt<string?>(2), Clock?.GetUtcNow() ?? default);
            int number;
            lock (gate)
            {
                sent.Add(batch);
                number = sent.Count;
            }

            Pulse();

            var gateTask = Gate;
            if (gateTask is not null)
            {
                await gateTask;
            }

            if (GateFor?.Invoke(number) is { } ownGate)
            {
                await ownGate;
            }

            var result = Respond(batch.Operations);
            Interlocked.Increment(ref answered);
            Pulse();
            return result;
        });
        Transport.ProbeAsync(default).ReturnsForAnyArgs(_ =>
        {
            Interlocked.Increment(ref probes);
            lock (gate)
            {
                probeTimes.Add(Clock?.GetUtcNow() ?? default);
            }

            Changed.Fire();

            return Task.FromResult(ProbeSucceeds);
        });
        Transport.GetAccountAsync(default).ReturnsForAnyArgs(ci =>
        {
            lock (gate)
            {
                accountQuestions.Add(ci.ArgAt<string?>(0));
            }

            Changed.Fire();

            return Task.FromResult(Account(ci.ArgAt<string?>(0)));
        });
    }

    /// <summary>GET /sync/whoami; default: a server without accounts (404).</summary>
    public Func<string?, ServerRead<string>> Account { get; set; } = _ => ServerRead<string>.NotFound("no accounts here");

    /// <summary>The tokens whoami was asked about, in order.</summary>
    public IReadOnlyList<string?> AccountQuestions
    {
        get
        {
            lock (gate)
            {
                return [.. accountQuestions];
            }
        }
    }

    public ISyncTransport Transport { get; } = Substitute.For<ISyncTransport>();

    /// <summary>Default: every command applied.</summary>
    public Func<IReadOnlyList<Operation>, SendBatchResult> Respond { get; set; } =
        ops => SendBatchResult.Ok([.. ops.Select(o => new CommandResult(o.Id, CommandStatus.Applied, 1))]);

    public volatile bool ProbeSucceeds = true;

    /// <summary>When set, sends wait for it: lets a test look at the engine mid-flight.</summary>
    public Task? Gate { get; set; }

    public int Probes => Volatile.Read(ref probes);

    /// <summary>When set, send number n (1-based) also waits for the task it returns (null: no wait).</summary>
    public Func<int, Task?>? GateFor { get; set; }

    /// <summary>Sends that have produced their answer.</summary>
    public int Answered => Volatile.Read(ref answered);

    public IReadOnlyList<SentBatch> Sent
    {
        get
        {
            lock (gate)
            {
                return [.. sent];
            }
        }
    }

    /// <summary>Completes once <paramref name="count"/> sends have started (they may still be held by a gate).</summary>
    public Task WhenSentAsync(int count) => When(() => sent.Count >= count);

    /// <summary>Completes once <paramref name="count"/> sends have produced their answer.</summary>
    public Task WhenAnsweredAsync(int count) => When(() => Answered >= count);

    private Task When(Func<bool> reached)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            waits.Add((reached, done));
        }

        Pulse();
        return done.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Fires after every send, answer, probe and whoami question.</summary>
    public Pulse Changed { get; } = new();

    private void Pulse()
    {
        Changed.Fire();
        List<TaskCompletionSource> reached;
        lock (gate)
        {
            reached = [.. waits.Where(w => w.Reached()).Select(w => w.Done)];
            waits.RemoveAll(w => w.Done.Task.IsCompleted || reached.Contains(w.Done));
        }

        reached.ForEach(d => d.TrySetResult());
    }

    internal sealed record SentBatch(IReadOnlyList<Operation> Operations, string? Token, DateTimeOffset At);
}

using System.Net.Sockets;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace OfflineSidecar.Core.Transport;

/// <summary>
/// Builds the in-call pipeline of one transport: a retry that covers only failures to connect (the request never
/// left, so a second try is free), a circuit breaker over network failures, and a per-try timeout.
/// 5xx and 429 pass through untouched: waiting for those is the queue's job, across time and restarts.
/// </summary>
internal static class TransportResilience
{
    private const int ConnectRetries = 1;
    private static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MinimumBreak = TimeSpan.FromMilliseconds(500);

    public static ResiliencePipeline<HttpResponseMessage> Build(
        TimeSpan requestTimeout,
        TimeSpan breakDuration,
        TimeProvider time,
        CircuitBreakerManualControl manualControl,
        CircuitBreakerStateProvider stateProvider,
        Action<TransportCircuitState> circuitChanged)
    {
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>(IsConnectFailure),
                MaxRetryAttempts = ConnectRetries,
                Delay = ConnectRetryDelay,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>().Handle<TimeoutRejectedException>(),
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = breakDuration < MinimumBreak ? MinimumBreak : breakDuration,
                ManualControl = manualControl,
                StateProvider = stateProvider,
                OnOpened = _ =>
                {
                    circuitChanged(TransportCircuitState.Open);
                    return default;
                },
                OnClosed = _ =>
                {
                    circuitChanged(TransportCircuitState.Closed);
                    return default;
                },
            })
            .AddTimeout(requestTimeout)
            .Build();
    }

    /// <summary>Refused, unreachable or DNS failures: nothing was sent, so a second try cannot apply anything twice.</summary>
    internal static bool IsConnectFailure(HttpRequestException exception) =>
        exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
        || exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable };
}

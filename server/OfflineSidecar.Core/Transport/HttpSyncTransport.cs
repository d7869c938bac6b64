using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OfflineSidecar.Core.Cache;
using OfflineSidecar.Core.Clock;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Core.Transport.Wire;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OfflineSidecar.Core.Transport;

/// <summary>
/// The HTTP binding of the sync protocol over one pooled connection. Built once per server URL and timeout;
/// the resilience pipeline inside is built once with it.
/// </summary>
public sealed class HttpSyncTransport : ISyncTransport
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient client;
    private readonly Uri commandsUri;
    private readonly Uri healthUri;
    private readonly Uri changesUri;
    private readonly Uri entityUri;
    private readonly Uri whoAmIUri;
    private readonly Uri blobsUri;
    private readonly TimeSpan requestTimeout;
    private readonly TimeProvider time;
    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;
    private readonly CircuitBreakerManualControl circuitControl = new();
    private readonly CircuitBreakerStateProvider circuitState = new();

    public HttpSyncTransport(Uri serverUrl, TimeSpan requestTimeout, TimeSpan breakDuration, TimeProvider time, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        ArgumentNullException.ThrowIfNull(time);
        ServerUrlPolicy.EnsureAllowed(serverUrl);
        this.time = time;
        this.requestTimeout = requestTimeout;
        var baseUri = serverUrl.AbsoluteUri.EndsWith('/') ? serverUrl : new Uri(serverUrl.AbsoluteUri + "/");
        commandsUri = new Uri(baseUri, "sync/commands");
        healthUri = new Uri(baseUri, "sync/health");
        changesUri = new Uri(baseUri, "sync/changes");
        entityUri = new Uri(baseUri, "sync/entity");
        whoAmIUri = new Uri(baseUri, "sync/whoami");
        blobsUri = new Uri(baseUri, "sync/blobs/");
        client = new HttpClient(handler ?? CreateHandler(requestTimeout), disposeHandler: true)
        {
            // The pipeline's timeout governs each try; HttpClient's own would race it.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("offline-sidecar", "0.1"));
        pipeline = TransportResilience.Build(requestTimeout, breakDuration, time, circuitControl, circuitState, OnCircuitChanged);
    }

    public event EventHandler<TransportCircuitState>? CircuitChanged;

    public event EventHandler<ServerClockSample>? ClockSampled;

    public static HttpSyncTransport Create(SyncOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ServerUrl is null)
        {
            throw new ArgumentException("No server URL configured.", nameof(options));
        }

        return new HttpSyncTransport(options.ServerUrl, options.RequestTimeout, options.ProbeMax, time);
    }

    public async Task<SendBatchResult> SendBatchAsync(string workspaceId, string clientId, string? token, IReadOnlyList<Operation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var body = CommandBatchWriter.Write(workspaceId, clientId, operations);
        var state = new SendState(this, body, token);
        var sentAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        try
        {
            using var response = await pipeline.ExecuteAsync(
                static async (s, ct) =>
                {
                    using var request = s.Transport.CreateCommandsRequest(s.Body, s.Token);
                    return await s.Transport.client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
                },
                state,
                cancellationToken).ConfigureAwait(false);
            NoteDateHeader(response, sentAt, started);
            return await ReadResponseAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsNetworkFailure(exception, cancellationToken))
        {
            return NetworkFailure(exception);
        }
    }

    public async Task<SendBatchResult> PutBlobAsync(string workspaceId, string? token, OperationAttachment blob, Func<Stream?> openContent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(openContent);
        var uri = new Uri(blobsUri, blob.Sha256 + "?workspaceId=" + Uri.EscapeDataString(workspaceId));
        var known = await SendBlobRequestAsync(HttpMethod.Head, uri, token, null, cancellationToken).ConfigureAwait(false);
        // 404: not there yet. Anything else that is not a success (auth, 5xx, offline) stops here as it would stop the PUT.
        return known.Kind == SendBatchResultKind.Ok || known.StatusCode != (int)HttpStatusCode.NotFound
            ? known
            : await SendBlobRequestAsync(HttpMethod.Put, uri, token, openContent, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ServerRead<ChangesPage>> GetChangesAsync(
        string workspaceId, string? token, string? since, int limit, bool count, CancellationToken cancellationToken = default)
    {
        var query = new StringBuilder("?workspaceId=").Append(Uri.EscapeDataString(workspaceId))
            .Append("&limit=").Append(limit.ToString(CultureInfo.InvariantCulture));
        if (since is not null)
        {
            query.Append("&since=").Append(Uri.EscapeDataString(since));
        }

        if (count)
        {
            query.Append("&count=true");
        }

        var answer = await GetAsync(new Uri(changesUri + query.ToString()), token, cancellationToken).ConfigureAwait(false);
        if (answer.Failure is { } failure)
        {
            return failure.StatusCode == (int)HttpStatusCode.Gone || answer.ErrorCode == "invalid_cursor"
                ? ServerRead<ChangesPage>.CursorExpired(failure.Message)
                : ServerRead<ChangesPage>.Failed(failure);
        }

        return ChangesAnswerReader.Read(answer.Body, since);
    }

    public async Task<ServerRead<ChangeRecord>> GetEntityAsync(string workspaceId, string? token, string entityId, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(entityUri + "?workspaceId=" + Uri.EscapeDataString(workspaceId) + "&entityId=" + Uri.EscapeDataString(entityId));
        var answer = await GetAsync(uri, token, cancellationToken).ConfigureAwait(false);
        if (answer.Failure is { } failure)
        {
            return failure.StatusCode == (int)HttpStatusCode.NotFound ? ServerRead<ChangeRecord>.NotFound(failure.Message) : ServerRead<ChangeRecord>.Failed(failure);
        }

        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            return ChangesAnswerReader.ReadChange(document.RootElement) is { } entity && entity.EntityId == entityId
                ? ServerRead<ChangeRecord>.Ok(entity)
                : ServerRead<ChangeRecord>.Malformed("the entity answer is not usable: needs entityId (the one asked for), type, version, deleted and payload");
        }
        catch (JsonException exception)
        {
            return ServerRead<ChangeRecord>.Malformed("the entity answer is not JSON: " + exception.Message);
        }
    }

    public async Task<ServerRead<string>> GetAccountAsync(string? token, CancellationToken cancellationToken = default)
    {
        var answer = await GetAsync(whoAmIUri, token, cancellationToken).ConfigureAwait(false);
        if (answer.Failure is { } failure)
        {
            return failure.StatusCode == (int)HttpStatusCode.NotFound ? ServerRead<string>.NotFound(failure.Message) : ServerRead<string>.Failed(failure);
        }

        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("accountId", out var account)
                && account.ValueKind == JsonValueKind.String
                && account.GetString() is { Length: > 0 and <= OperationInputRules.MaxKeyLength } id
                ? ServerRead<string>.Ok(id)
                : ServerRead<string>.Malformed("the whoami answer is not usable: needs a non-empty accountId");
        }
        catch (JsonException exception)
        {
            return ServerRead<string>.Malformed("the whoami answer is not JSON: " + exception.Message);
        }
    }

    public async Task<bool> ProbeAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(requestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var sentAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        try
        {
            using var response = await client.GetAsync(healthUri, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var roundTrip = time.GetElapsedTime(started);
            if (!response.IsSuccessStatusCode)
            {
                NoteDateHeader(response, sentAt, started);
                return false;
            }

            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            if (HealthAnswerReader.ReadServerTime(body) is { } serverTime)
            {
                ClockSampled?.Invoke(this, new ServerClockSample(serverTime, TimeSpan.Zero, sentAt, roundTrip));
            }
            else
            {
                NoteDateHeader(response, sentAt, started);
            }
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (circuitState.CircuitState != CircuitState.Closed)
        {
            // The probe bypasses the breaker; its success is better evidence than waiting out the break.
            await circuitControl.CloseAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    public void Dispose() => client.Dispose();

    private static SocketsHttpHandler CreateHandler(TimeSpan requestTimeout) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = requestTimeout,
        // As many connections as batches in flight by default (SyncOptions.MaxBatchesInFlight = 8): with fewer, the
        // extra batches wait here instead of reaching the server, whose group commit then carries fewer per transaction.
        MaxConnectionsPerServer = 8,
    };

    /// <summary>A GET through the same pipeline as commands; a refusal comes back classified as a command batch's would be.</summary>
    private async Task<GetAnswer> GetAsync(Uri uri, string? token, CancellationToken cancellationToken)
    {
        var sentAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        try
        {
            using var response = await pipeline.ExecuteAsync(
                static async (s, ct) =>
                {
                    using var request = NewRequest(HttpMethod.Get, s.Uri, s.Token);
                    return await s.Client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
                },
                (Uri: uri, Token: token, Client: client),
                cancellationToken).ConfigureAwait(false);
            NoteDateHeader(response, sentAt, started);
            if (response.IsSuccessStatusCode)
            {
                return new GetAnswer(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), null, null);
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var (code, message) = ParseError(text, response.ReasonPhrase);
            var status = (int)response.StatusCode;
            var failure = response.StatusCode switch
            {
                HttpStatusCode.BadRequest => SendBatchResult.BadRequest(message),
                HttpStatusCode.Unauthorized => SendBatchResult.AuthFailed(status, message),
                HttpStatusCode.Forbidden => SendBatchResult.Forbidden(message),
                HttpStatusCode.TooManyRequests => SendBatchResult.Throttled(status, RetryAfterReader.Read(response.Headers.RetryAfter, time.GetUtcNow()), message),
                _ => SendBatchResult.ServerError(status, message ?? $"HTTP {status}", RetryAfterReader.Read(response.Headers.RetryAfter, time.GetUtcNow())),
            };
            return new GetAnswer(ReadOnlyMemory<byte>.Empty, failure, code);
        }
        catch (Exception exception) when (IsNetworkFailure(exception, cancellationToken))
        {
            return new GetAnswer(ReadOnlyMemory<byte>.Empty, NetworkFailure(exception), null);
        }
    }

    /// <summary>HEAD or PUT of one blob through the same pipeline as commands; refusals classified as a batch's would be.</summary>
    private async Task<SendBatchResult> SendBlobRequestAsync(HttpMethod method, Uri uri, string? token, Func<Stream?>? openContent, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await pipeline.ExecuteAsync(
                static async (s, ct) =>
                {
                    using var request = NewRequest(s.Method, s.Uri, s.Token);
                    if (s.Open is not null)
                    {
                        // Streamed from the file, opened again for a retry: a blob is never held in memory whole.
                        request.Content = new StreamContent(s.Open() ?? throw new FileNotFoundException("the local copy of the blob is gone"));
                        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    }

                    return await s.Client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
                },
                (Method: method, Uri: uri, Token: token, Open: openContent, Client: client),
                cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return SendBatchResult.Ok([]);
            }

            return response.StatusCode == HttpStatusCode.NotFound
                ? SendBatchResult.ServerError((int)response.StatusCode, "blob not on the server")
                : await ReadResponseAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException exception)
        {
            // Nothing to send: the command naming it is then refused by the server for this operation alone.
            return SendBatchResult.BadRequest(exception.Message);
        }
        catch (Exception exception) when (IsNetworkFailure(exception, cancellationToken))
        {
            return NetworkFailure(exception);
        }
    }

    /// <summary>The request never got an answer: a timeout, an open circuit, the socket, or a cancellation that was not ours.</summary>
    private static bool IsNetworkFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is TimeoutRejectedException or BrokenCircuitException or HttpRequestException
        || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private SendBatchResult NetworkFailure(Exception exception) => exception switch
    {
        TimeoutRejectedException => SendBatchResult.NetworkError($"no answer within {requestTimeout.TotalSeconds:0.###} s", timedOut: true),
        BrokenCircuitException => SendBatchResult.NetworkError("server unreachable (circuit open)"),
        // The outer message is generic ("An error occurred while sending the request"); the cause is inside.
        HttpRequestException { InnerException: { } cause } => SendBatchResult.NetworkError($"{exception.Message} ({cause.Message})"),
        HttpRequestException => SendBatchResult.NetworkError(exception.Message),
        _ => SendBatchResult.NetworkError("request cancelled by the connection", timedOut: true),
    };

    /// <summary>Every answer says the server's time to the second; the round trip is measured on the monotonic clock.</summary>
    private void NoteDateHeader(HttpResponseMessage response, DateTimeOffset sentAt, long started)
    {
        if (response.Headers.Date is { } date && ClockSampled is { } handler)
        {
            handler(this, ServerClockSample.FromDateHeader(date, sentAt, time.GetElapsedTime(started)));
        }
    }

    private static (string? Code, string? Message) ParseError(string text, string? reason)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, reason);
        }

        try
        {
            var error = JsonSerializer.Deserialize(text, SyncWireJsonContext.Default.ErrorResponseDto);
            return (error?.Code, error?.Message ?? error?.Error ?? error?.Code ?? Truncate(text));
        }
        catch (JsonException)
        {
            return (null, Truncate(text));
        }
    }

    private HttpRequestMessage CreateCommandsRequest(byte[] body, string? token)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonContentType;
        var request = NewRequest(HttpMethod.Post, commandsUri, token);
        request.Content = content;
        return request;
    }

    /// <summary>Every request to the server is made here, so each carries the account's token the same way (none without one).</summary>
    private static HttpRequestMessage NewRequest(HttpMethod method, Uri uri, string? token)
    {
        var request = new HttpRequestMessage(method, uri);
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private async Task<SendBatchResult> ReadResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return await ReadResultsAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var message = await ReadErrorMessageAsync(response, cancellationToken).ConfigureAwait(false);
        return response.StatusCode switch
        {
            HttpStatusCode.BadRequest => SendBatchResult.BadRequest(message),
            HttpStatusCode.Unauthorized => SendBatchResult.AuthFailed(status, message),
            // The token is known but this request is not allowed: access was revoked, which signing in again cannot fix.
            HttpStatusCode.Forbidden => SendBatchResult.Forbidden(message),
            HttpStatusCode.RequestEntityTooLarge => SendBatchResult.TooLarge(message),
            // 429 is a server that answers and asks us to slow down; a 503 is one that is not serving (see ServerDown).
            HttpStatusCode.TooManyRequests =>
                SendBatchResult.Throttled(status, RetryAfterReader.Read(response.Headers.RetryAfter, time.GetUtcNow()), message),
            _ => SendBatchResult.ServerError(status, message ?? $"HTTP {status}", RetryAfterReader.Read(response.Headers.RetryAfter, time.GetUtcNow())),
        };
    }

    private static async Task<SendBatchResult> ReadResultsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        CommandsResponseDto? dto;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                dto = await JsonSerializer.DeserializeAsync(stream, SyncWireJsonContext.Default.CommandsResponseDto, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException exception)
        {
            return SendBatchResult.ServerError((int)response.StatusCode, "malformed response: " + exception.Message);
        }

        if (dto?.Results is null)
        {
            return SendBatchResult.ServerError((int)response.StatusCode, "malformed response: no results");
        }

        var results = new List<CommandResult>(dto.Results.Count);
        foreach (var item in dto.Results)
        {
            if (item.CommandId is null)
            {
                continue;
            }

            results.Add(new CommandResult(
                item.CommandId,
                ParseStatus(item.Status),
                item.Version,
                item.Server is null ? null : new ServerEntityState(item.Server.Version, item.Server.Payload?.GetRawText()),
                item.Code,
                item.Message ?? (ParseStatus(item.Status) == CommandStatus.Retry && !IsKnownStatus(item.Status) ? $"unknown status '{item.Status}'" : null)));
        }

        return SendBatchResult.Ok(results);
    }

    /// <summary>An unknown verdict is retried: a newer server may mean something we cannot tell apart from "not yet".</summary>
    private static CommandStatus ParseStatus(string? status) => status switch
    {
        "applied" => CommandStatus.Applied,
        "duplicate" => CommandStatus.Duplicate,
        "conflict" => CommandStatus.Conflict,
        "rejected" => CommandStatus.Rejected,
        _ => CommandStatus.Retry,
    };

    private static bool IsKnownStatus(string? status) => status is "applied" or "duplicate" or "conflict" or "rejected" or "retry";

    private static async Task<string?> ReadErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return response.ReasonPhrase;
        }

        try
        {
            var error = JsonSerializer.Deserialize(text, SyncWireJsonContext.Default.ErrorResponseDto);
            return error?.Message ?? error?.Error ?? error?.Code ?? Truncate(text);
        }
        catch (JsonException)
        {
            return Truncate(text);
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200];

    private void OnCircuitChanged(TransportCircuitState state) => CircuitChanged?.Invoke(this, state);

    private sealed record SendState(HttpSyncTransport Transport, byte[] Body, string? Token);

    /// <summary>A GET's body, or its refusal and the error code the server gave.</summary>
    private sealed record GetAnswer(ReadOnlyMemory<byte> Body, SendBatchResult? Failure, string? ErrorCode);
}

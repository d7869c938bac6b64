using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OfflineSidecar.Integration.Tests.Support;

/// <summary>The real reference server (offline-sync-server) as a child process, plus its admin and read endpoints.</summary>
internal sealed class SyncServerProcess : IAsyncDisposable, IServerReads
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Process process;
    private readonly HttpClient http;
    private readonly StringBuilder errors;

    private SyncServerProcess(Process process, Uri url, string? token, StringBuilder errors)
    {
        this.process = process;
        this.errors = errors;
        Url = url;
        http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Uri Url { get; }

    /// <summary>What the server wrote to stderr so far (its log: warnings, errors, client trace lines).</summary>
    public string Stderr
    {
        get
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }
    }

    /// <param name="accounts">Account id → token (--account ID=TOKEN), each acting for its own account.</param>
    public static async Task<SyncServerProcess> StartAsync(
        string dataDir, int port = 0, string? token = null, int? seed = null, IEnumerable<(string Account, string Token)>? accounts = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepoPaths.ServerDll);
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add("--data-dir");
        info.ArgumentList.Add(dataDir);
        if (token is not null)
        {
            info.ArgumentList.Add("--token");
            info.ArgumentList.Add(token);
        }

        foreach (var (account, accountToken) in accounts ?? [])
        {
            info.ArgumentList.Add("--account");
            info.ArgumentList.Add(account + "=" + accountToken);
        }

        if (seed is not null)
        {
            info.ArgumentList.Add("--seed");
            info.ArgumentList.Add(seed.Value.ToString(CultureInfo.InvariantCulture));
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start offline-sync-server");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var first = await process.StandardOutput.ReadLineAsync(timeout.Token);
        const string Prefix = "listening on ";
        if (first is null || !first.StartsWith(Prefix, StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"offline-sync-server did not start: '{first}' {errors}");
        }

        // Keep draining stdout so the child never blocks on a full pipe.
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var server = new SyncServerProcess(process, new Uri(first[Prefix.Length..].Trim().TrimEnd('/') + "/"), token, errors);
        return server;
    }

    public async Task SetFaultsAsync(object faults)
    {
        using var response = await http.PostAsJsonAsync("admin/faults", faults, Json);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>GET /admin/command-log: the command batches read since start or the last reset, oldest first.</summary>
    public async Task<CommandLog> GetCommandLogAsync() =>
        (await http.GetFromJsonAsync<CommandLog>("admin/command-log", Json))!;

    public async Task<ServerStats> GetStatsAsync() =>
        (await http.GetFromJsonAsync<ServerStats>("admin/stats", Json))!;

    /// <summary>POST /admin/compact: superseded change rows and deleted entities leave the feed; older cursors get 410.</summary>
    public async Task CompactAsync(string workspaceId)
    {
        using var response = await http.PostAsJsonAsync("admin/compact", new { workspaceId }, Json);
        response.EnsureSuccessStatusCode();
    }

    public async Task ResetStatsAsync()
    {
        using var response = await http.PostAsync("admin/reset-stats", null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Writes <paramref name="count"/> text documents through /sync/commands (as another client would), 500 a batch.</summary>
    /// <param name="keyPrefix">Starts each command's id and idempotency key: a second seeding needs another, or it is answered duplicate.</param>
    public async Task SeedDocumentsAsync(string workspaceId, int count, Func<int, string> entityId, Func<int, string> text, string keyPrefix = "seed")
    {
        for (var start = 0; start < count; start += 500)
        {
            var commands = Enumerable.Range(start, Math.Min(500, count - start)).Select(i => new
            {
                commandId = keyPrefix + "-" + i.ToString(CultureInfo.InvariantCulture),
                idempotencyKey = keyPrefix + "-" + workspaceId + "-" + i.ToString(CultureInfo.InvariantCulture),
                type = "document.put.v1",
                entityId = entityId(i),
                payload = new { content = text(i), encoding = "utf-8" },
            }).ToArray();
            using var response = await http.PostAsJsonAsync("sync/commands", new { workspaceId, clientId = "seeder", commands }, Json);
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>
    /// One document.put.v1 through /sync/commands as another client would, expecting <paramref name="expectedVersion"/>:
    /// the command's status (applied, duplicate, conflict), or null when the request failed (an injected fault: send it again).
    /// </summary>
    public async Task<string?> TryPutAsync(string workspaceId, string entityId, object payload, long expectedVersion, string idempotencyKey)
    {
        var commands = new[] { new { commandId = idempotencyKey, idempotencyKey, type = "document.put.v1", entityId, payload, expectedVersion } };
        try
        {
            using var response = await http.PostAsJsonAsync("sync/commands", new { workspaceId, clientId = "other-client", commands }, Json);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
            return body.GetProperty("results")[0].GetProperty("status").GetString();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public async Task<ServerEntity> WriteEntityAsync(string workspaceId, string entityId, object payload)
    {
        using var response = await http.PostAsJsonAsync("admin/entities", new { workspaceId, entityId, payload }, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ServerEntity>(Json))!;
    }

    public async Task<ServerEntity> DeleteEntityAsync(string workspaceId, string entityId)
    {
        using var response = await http.PostAsJsonAsync("admin/entities", new { workspaceId, entityId, deleted = true }, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ServerEntity>(Json))!;
    }

    public Task<ServerEntity?> ReadEntityAsync(string workspaceId, string entityId) => ServerReads.EntityAsync(http, workspaceId, entityId);

    /// <summary>An attachment's content as the server holds it (GET /sync/blobs/{sha256}), or null.</summary>
    public async Task<byte[]?> ReadBlobAsync(string workspaceId, string sha256)
    {
        using var response = await http.GetAsync($"sync/blobs/{sha256}?workspaceId={Uri.EscapeDataString(workspaceId)}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Every change of the workspace in commit order, following the cursor to the end.</summary>
    public Task<List<ServerChange>> ReadAllChangesAsync(string workspaceId) => ServerReads.AllChangesAsync(http, workspaceId);

    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        http.Dispose();
        process.Dispose();
        return ValueTask.CompletedTask;
    }
}

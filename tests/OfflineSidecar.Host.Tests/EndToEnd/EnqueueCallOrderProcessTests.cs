using System.Diagnostics;
using System.Text.Json;
using OfflineSidecar.Host.Tests.Support;

namespace OfflineSidecar.Host.Tests.EndToEnd;

/// <summary>
/// Two enqueues of one entity sent back to back on the real process's stdin, the first with an attachment whose
/// source is a named pipe (its copy waits until the test writes it): the queue holds them in the order sent.
/// </summary>
public sealed class EnqueueCallOrderProcessTests
{
    [Fact]
    public async Task An_enqueue_sent_after_one_still_copying_its_attachment_is_queued_after_it()
    {
        using var data = new TempDirectory();
        string source = data.File("slow.bin");
        MakeFifo(source);
        await using var sidecar = SidecarProcess.Start("--data-dir", data.Path, "--workspace", "w");
        JsonAssert.Result(await sidecar.InitializeAsync(data.Path));
        await sidecar.NotifyAsync("initialized");
        long withFile = sidecar.NextId();
        long plain = sidecar.NextId();

        // One write: the second request is dispatched while the first waits for its file.
        await sidecar.SendRawAsync([
            .. Frames.Of(Enqueue(withFile, $",\"attachments\":[{{\"path\":{JsonSerializer.Serialize(source)}}}]")),
            .. Frames.Of(Enqueue(plain, "")),
        ]);
        await Task.Run(() =>
        {
            using var output = new FileStream(source, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            output.Write(new byte[4096]);
        });
        var ids = new Dictionary<long, string>();
        while (ids.Count < 2)
        {
            JsonElement response = await sidecar.ReadNextResponseAsync();
            ids[response.GetProperty("id").GetInt64()] = JsonAssert.Result(response).GetProperty("id").GetString()!;
        }

        JsonElement page = JsonAssert.Result(await sidecar.RequestAsync("offlineSync/listOperations", "{\"entityId\":\"doc\"}"));

        Assert.Equal([ids[withFile], ids[plain]], page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()));
        Assert.Equal(1, page.GetProperty("items")[0].GetProperty("attachments").GetArrayLength());
    }

    private static string Enqueue(long id, string attachments) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"offlineSync/enqueue\",\"params\":{{\"type\":\"document.put.v1\",\"payload\":{{\"n\":{id}}},\"entityId\":\"doc\"{attachments}}}}}";

    private static void MakeFifo(string path)
    {
        using Process mkfifo = Process.Start(new ProcessStartInfo("mkfifo") { ArgumentList = { "-m", "600", path } })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}

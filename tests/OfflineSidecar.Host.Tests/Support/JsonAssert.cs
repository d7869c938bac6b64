using System.Text.Json;

namespace OfflineSidecar.Host.Tests.Support;

internal static class JsonAssert
{
    public static void IsError(JsonElement response, int code, string? messageContains = null)
    {
        Assert.True(response.TryGetProperty("error", out JsonElement error), $"expected an error, got {response}");
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        if (messageContains is not null)
        {
            Assert.Contains(messageContains, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    public static JsonElement Result(JsonElement response)
    {
        Assert.True(response.TryGetProperty("result", out JsonElement result), $"expected a result, got {response}");
        return result;
    }

    public static void HasNullId(JsonElement response) =>
        Assert.Equal(JsonValueKind.Null, response.GetProperty("id").ValueKind);
}

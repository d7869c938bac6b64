using System.Text.RegularExpressions;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Host.Serve;
using OfflineSidecar.Host.Settings;
using OfflineSidecar.Host.Tests.Support;
using OfflineSidecar.JsonRpc.Messages;

namespace OfflineSidecar.Host.Tests.Serve;

public sealed class SidecarErrorMapperTests
{
    private static readonly Regex JsonRpcErrorType = new(@"\bJsonRpc(Exception|Error)\b");

    [Theory]
    [InlineData(QueueErrorKind.StorageFull, 1003)]
    [InlineData(QueueErrorKind.LowDiskSpace, 1009)]
    [InlineData(QueueErrorKind.InvalidArgument, JsonRpcErrorCodes.InvalidParams)]
    [InlineData(QueueErrorKind.AttachmentUnreadable, 1010)]
    [InlineData(QueueErrorKind.AttachmentTooLarge, 1011)]
    public void Queue_refusals_keep_their_protocol_codes_and_messages(QueueErrorKind kind, int code)
    {
        JsonRpcError? error = SidecarErrorMapper.Map(new QueueException(kind, "payload: something"));

        Assert.NotNull(error);
        Assert.Equal(code, error.Code);
        Assert.Equal("payload: something", error.Message);
    }

    [Theory]
    [InlineData(SettingsErrorKind.InvalidValue, JsonRpcErrorCodes.InvalidParams)]
    [InlineData(SettingsErrorKind.InvalidServerUrl, 1006)]
    public void Settings_refusals_become_their_protocol_codes_naming_the_field(SettingsErrorKind kind, int code)
    {
        JsonRpcError? error = SidecarErrorMapper.Map(new SettingsException(kind, "settings.batchSize", "must be positive"));

        Assert.NotNull(error);
        Assert.Equal(code, error.Code);
        Assert.Equal("settings.batchSize: must be positive", error.Message);
    }

    /// <summary>Swapping the JSON-RPC layer stays local to Serve/ only while nothing else throws or catches its errors.</summary>
    [Fact]
    public void No_host_code_outside_serve_throws_or_catches_json_rpc_errors()
    {
        var host = RepositoryFiles.Path("server/OfflineSidecar.Host");
        var serve = Path.Combine(host, "Serve") + Path.DirectorySeparatorChar;
        var offenders = Directory.EnumerateFiles(host, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.StartsWith(serve, StringComparison.Ordinal))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(file => JsonRpcErrorType.IsMatch(File.ReadAllText(file)))
            .Select(file => Path.GetRelativePath(host, file))
            .ToList();

        Assert.Empty(offenders);
        Assert.Matches(JsonRpcErrorType, File.ReadAllText(Path.Combine(serve, "SidecarErrorMapper.cs")));
    }
}

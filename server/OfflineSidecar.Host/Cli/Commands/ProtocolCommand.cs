using System.CommandLine;
using System.Text.Json;
using OfflineSidecar.Host.Protocol;

namespace OfflineSidecar.Host.Cli.Commands;

/// <summary>Hidden: prints the declared messages so the TypeScript drift test can compare both sides and the docs.</summary>
internal static class ProtocolCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("protocol", "Print the protocol's declared messages") { json };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            IReadOnlyList<MessageDescription> messages = ProtocolCatalog.Describe();
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(messages, ProtocolJsonContext.Default.IReadOnlyListMessageDescription));
                return CliExitCodes.Ok;
            }

            var table = new TableWriter("METHOD", "DIRECTION", "KIND");
            foreach (MessageDescription message in messages)
            {
                table.Add(message.Method, JsonNamingPolicy.CamelCase.ConvertName(message.Direction.ToString()),
                    JsonNamingPolicy.CamelCase.ConvertName(message.Kind.ToString()));
            }

            table.WriteTo(Console.Out);
            return CliExitCodes.Ok;
        });
        return command;
    }
}

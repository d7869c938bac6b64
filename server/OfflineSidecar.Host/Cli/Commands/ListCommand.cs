using System.CommandLine;
using System.Globalization;
using OfflineSidecar.Core.Operations;
using OfflineSidecar.Core.Queue;
using OfflineSidecar.Host.Mapping;

namespace OfflineSidecar.Host.Cli.Commands;

internal static class ListCommand
{
    public static Command Create()
    {
        var options = new StoreCommandOptions();
        var status = new Option<string[]>("--status")
        {
            Description = "Only these statuses (repeat or comma-separate: pending, syncing, succeeded, failed, conflict)",
        };
        var limit = new Option<int>("--limit") { Description = "At most this many operations (1-500)", DefaultValueFactory = _ => 100 };
        var command = new Command("list", "List operations in delivery order (no payloads)") { status, limit };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliCommandRunner.RunAsync(async () =>
        {
            StoreCommandSettings settings = options.Read(parse);
            IReadOnlyList<OperationStatus>? statuses = StatusFilter.Parse(parse.GetValue(status));
            await using CliStore store = await CliStore.OpenAsync(settings);
            OperationPage page = await store.Workspace.ListAsync(new ListQuery(statuses, Limit: parse.GetValue(limit)), cancellationToken);
            if (settings.Json)
            {
                CliOutput.WriteJson(Console.Out, ProtocolMapper.ToDto(page), CliJsonContext.Default.ListOperationsResult);
                return CliExitCodes.Ok;
            }

            var table = new TableWriter("ID", "STATUS", "PRIORITY", "TYPE", "ENTITY", "ATTEMPTS", "FILES", "UPDATED", "LAST ERROR");
            foreach (Operation operation in page.Items)
            {
                table.Add(
                    operation.Id,
                    CliText.Of(operation.Status),
                    CliText.Of(operation.Priority),
                    operation.Type,
                    operation.EntityId ?? "-",
                    operation.Attempts.ToString(CultureInfo.InvariantCulture),
                    operation.Attachments.Count.ToString(CultureInfo.InvariantCulture),
                    CliText.Of(operation.UpdatedAt),
                    operation.LastError is { } error ? $"{error.Code}: {error.Message}" : "-");
            }

            table.WriteTo(Console.Out);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{page.Items.Count} of {page.Total} operations"));
            return CliExitCodes.Ok;
        }, Console.Error));
        return command;
    }
}

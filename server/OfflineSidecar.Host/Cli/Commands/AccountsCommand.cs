using System.CommandLine;
using System.Globalization;

namespace OfflineSidecar.Host.Cli.Commands;

/// <summary>Whose work the store holds: a row per partition (workspace, server, account) with what it holds.</summary>
internal static class AccountsCommand
{
    public static Command Create()
    {
        var options = new StoreCommandOptions();
        var command = new Command("accounts", "List the store's partitions: the queue and cache of each account, workspace and server");
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliCommandRunner.RunAsync(async () =>
        {
            StoreCommandSettings settings = options.Read(parse);
            await using CliStore store = await CliStore.OpenAsync(settings);
            var rows = (await store.Store.Partitions.ListAsync(cancellationToken))
                .Select(p => new AccountRow(
                    p.Partition.Name, p.Partition.WorkspaceId, p.Partition.Server, p.Partition.AccountId, p.Partition.UsedAt,
                    p.UnfinishedOperations, p.Operations, p.Documents, p.DocumentBytes))
                .ToList();
            if (settings.Json)
            {
                CliOutput.WriteJson(Console.Out, new AccountsReport(store.Store.OpenReport.DatabasePath, rows), CliJsonContext.Default.AccountsReport);
                return CliExitCodes.Ok;
            }

            var table = new TableWriter("PARTITION", "WORKSPACE", "SERVER", "ACCOUNT", "UNSYNCED", "OPERATIONS", "DOCUMENTS");
            foreach (var row in rows)
            {
                table.Add(row.Partition, row.WorkspaceId, row.Server.Length == 0 ? "-" : row.Server, row.AccountId ?? "(not known yet)",
                    Number(row.UnfinishedOperations), Number(row.Operations), Number(row.Documents));
            }

            table.WriteTo(Console.Out);
            Console.Out.WriteLine(rows.Count == 1 ? "1 partition" : $"{rows.Count} partitions");
            return CliExitCodes.Ok;
        }, Console.Error));
        return command;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;

namespace OfflineSidecar.Host.Cli;

internal static class SyncReportPrinter
{
    public static void Print(SyncReport report, bool json, TextWriter output)
    {
        if (json)
        {
            CliOutput.WriteJson(output, report, CliJsonContext.Default.SyncReport);
            return;
        }

        if (report.Operations.Count > 0)
        {
            var table = new TableWriter("ID", "TYPE", "ENTITY", "OUTCOME", "ATTEMPTS", "ERROR");
            foreach (SyncOperationOutcome operation in report.Operations)
            {
                table.Add(
                    operation.Id,
                    operation.Type,
                    operation.EntityId ?? "-",
                    OutcomeWord(operation),
                    operation.Attempts.ToString(CultureInfo.InvariantCulture),
                    operation.Error is { } error ? $"{error.Code}: {error.Message}" : "-");
            }

            table.WriteTo(output);
        }

        output.WriteLine(report.Message ?? string.Create(CultureInfo.InvariantCulture,
            $"{report.Applied} applied, {report.Failed} failed, {report.Conflicts} conflict(s)."));
    }

    private static string OutcomeWord(SyncOperationOutcome operation) => operation.Status switch
    {
        Core.Operations.OperationStatus.Succeeded => "applied",
        Core.Operations.OperationStatus.Pending => "retry later",
        _ => CliText.Of(operation.Status),
    };
}

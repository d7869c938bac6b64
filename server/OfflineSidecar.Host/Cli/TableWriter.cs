namespace OfflineSidecar.Host.Cli;

/// <summary>Left-aligned columns padded to their widest cell, two spaces apart.</summary>
internal sealed class TableWriter(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"expected {headers.Length} cells, got {cells.Length}", nameof(cells));
        }

        rows.Add(cells);
    }

    public void WriteTo(TextWriter output)
    {
        int[] widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Prepend(h.Length).Max()).ToArray();
        WriteRow(output, headers, widths);
        foreach (string[] row in rows)
        {
            WriteRow(output, row, widths);
        }
    }

    private static void WriteRow(TextWriter output, string[] cells, int[] widths)
    {
        string line = string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i])));
        output.WriteLine(line.TrimEnd());
    }
}

using System.Globalization;

namespace OfflineSidecar.Bench.QueueFiles;

/// <summary>
/// The bench's child process for the queue-file scenario: <c>queue-child ENGINE PATH PREFIX COUNT WRITERS</c>.
/// Prints <c>ready</c> once the file is open, then every acknowledged id on a line of its own the moment the insert
/// returned (one write(2) per line), and, when COUNT &gt; 0 inserts are done, <c>count N</c> with the rows it sees.
/// COUNT = 0 inserts until killed. A failure prints <c>error ...</c> and exits 3.
/// </summary>
internal static class QueueChild
{
    public const string Verb = "queue-child";

    public static int Run(string[] args)
    {
        var engine = args[1];
        var path = args[2];
        var prefix = args[3];
        var count = long.Parse(args[4], CultureInfo.InvariantCulture);
        var writers = int.Parse(args[5], CultureInfo.InvariantCulture);
        using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        var gate = new object();
        try
        {
            using var file = QueueEngine.Open(engine, path);
            output.WriteLine("ready");
            long next = 0;
            var threads = Enumerable.Range(0, writers).Select(_ => new Thread(() =>
            {
                using var writer = file.OpenWriter();
                for (var index = Interlocked.Increment(ref next); count == 0 || index <= count; index = Interlocked.Increment(ref next))
                {
                    var id = writer.Insert(QueueDocument.Make(prefix, index));
                    lock (gate)
                    {
                        output.WriteLine(id);
                    }
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"count {file.Count()}"));
            return 0;
        }
#pragma warning disable CA1031 // the parent reads what failed from the child's output
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lock (gate)
            {
                output.WriteLine($"error {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}");
            }

            return 3;
        }
    }
}

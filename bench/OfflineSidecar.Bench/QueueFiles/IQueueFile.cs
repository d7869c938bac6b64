namespace OfflineSidecar.Bench.QueueFiles;

/// <summary>One database file holding the queue, opened by one process.</summary>
internal interface IQueueFile : IDisposable
{
    /// <summary>A handle for one writer thread (a connection of its own where the library needs one).</summary>
    IQueueWriter OpenWriter();

    /// <summary>Whether the operation with this id is in the file (read after a reopen).</summary>
    bool Contains(string id);

    long Count();
}

/// <summary>Inserts one operation and returns once the library acknowledged it as committed.</summary>
internal interface IQueueWriter : IDisposable
{
    /// <summary>Returns the id under which the operation was stored.</summary>
    string Insert(QueueDocument document);
}

using System.Data.Common;
using OfflineSync.Server.Hosting;
using OfflineSync.Server.Storage.Postgres;

var parsed = ServerCommandLine.Parse(args);
if (parsed.ShowHelp)
{
    Console.Out.Write(ServerCommandLine.Usage);
    return 0;
}

if (parsed.Options is null)
{
    Console.Error.WriteLine($"offline-sync-server: {parsed.Error}");
    Console.Error.Write(ServerCommandLine.Usage);
    return 2;
}

SyncServerApp server;
try
{
    server = SyncServerApp.Build(parsed.Options);
}
catch (Exception exception) when (exception is DbException or IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
{
    var store = parsed.Options.PostgresUrl is { } url ? $"the PostgreSQL store {PostgresUrl.Redact(url)}" : parsed.Options.DataDirectory;
    // Npgsql wraps the socket error (connection refused, name not resolved) that says what is wrong.
    var reason = exception.InnerException is { } inner && exception is DbException ? $"{exception.Message} ({inner.Message})" : exception.Message;
    Console.Error.WriteLine($"offline-sync-server: cannot open {store}: {reason}");
    return 1;
}

await using (server)
{
    try
    {
        await server.StartAsync();
    }
    catch (IOException exception)
    {
        Console.Error.WriteLine($"offline-sync-server: cannot listen on port {parsed.Options.Port}: {exception.Message}");
        return 1;
    }

    Console.Out.WriteLine($"listening on {server.ListeningUrl}");
    Console.Out.Flush();
    await server.WaitForShutdownAsync();
}

return 0;

using Microsoft.Data.Sqlite;
using OfflineSync.Server.Hosting;

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
catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
{
    Console.Error.WriteLine($"offline-sync-server: cannot open {parsed.Options.DataDirectory}: {exception.Message}");
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

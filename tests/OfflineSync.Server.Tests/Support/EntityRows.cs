using OfflineSync.Server.Storage;

namespace OfflineSync.Server.Tests.Support;

/// <summary>Writes an entity row straight through the writer's prepared statements, below the command layer.</summary>
internal static class EntityRows
{
    public static void Upsert(WriterStatements statements, string entityId, long version = 1)
    {
        var upsert = statements.UpsertEntity;
        upsert.BindText(1, "ws");
        upsert.BindText(2, entityId);
        upsert.Bind(3, version);
        upsert.BindUtf8(4, "{}"u8);
        upsert.Bind(5, 0);
        upsert.Bind(6, 0);
        upsert.Execute();
    }
}

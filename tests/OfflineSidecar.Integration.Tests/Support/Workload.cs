using System.Globalization;
using System.Text.Json;

namespace OfflineSidecar.Integration.Tests.Support;

/// <summary>N operations spread round-robin over E entities, each payload carrying its place in its entity's order.</summary>
internal static class Workload
{
    public static async Task EnqueueAsync(EngineRig rig, int operations, int entities)
    {
        for (var i = 0; i < operations; i++)
        {
            var entity = EntityId(i % entities);
            var seq = i / entities;
            await rig.EnqueueAsync(entity, string.Create(CultureInfo.InvariantCulture, $"{{\"entity\":\"{entity}\",\"seq\":{seq}}}"));
        }
    }

    public static string EntityId(int index) => string.Create(CultureInfo.InvariantCulture, $"doc-{index:00}");

    /// <summary>Every operation reached the server once, and each entity's changes came in enqueue order.</summary>
    public static async Task AssertAppliedOnceInOrderAsync(IServerReads server, int operations, int entities)
    {
        var changes = await server.ReadAllChangesAsync(EngineRig.WorkspaceId);
        Assert.Equal(operations, changes.Count);
        var perEntity = operations / entities;
        for (var e = 0; e < entities; e++)
        {
            var id = EntityId(e);
            var mine = changes.Where(c => c.EntityId == id).ToList();
            Assert.Equal(Enumerable.Range(1, perEntity).Select(v => (long)v), mine.Select(c => c.Version));
            Assert.Equal(Enumerable.Range(0, perEntity), mine.Select(c => c.Payload!.Value.GetProperty("seq").GetInt32()));
            var final = await server.ReadEntityAsync(EngineRig.WorkspaceId, id);
            Assert.Equal(perEntity, final!.Version);
            Assert.Equal(perEntity - 1, final.Payload!.Value.GetProperty("seq").GetInt32());
        }
    }

    public static string Payload(object value) => JsonSerializer.Serialize(value);
}

namespace OfflineSidecar.Host.Serve.Notifications;

/// <summary>
/// The document ids changed since the last cacheChanged notification. Past <see cref="MaxListed"/> the notification says
/// "anything" instead: a pull of a big workspace would otherwise send tens of thousands of ids the editor cannot use.
/// </summary>
internal sealed class ChangedDocuments
{
    public const int MaxListed = 1000;

    private readonly Lock gate = new();
    private HashSet<string>? ids = new(StringComparer.Ordinal);
    private bool any;

    /// <param name="entityIds">Null: anything may have changed.</param>
    public void Add(IReadOnlyCollection<string>? entityIds)
    {
        lock (gate)
        {
            this.any = true;
            if (entityIds is null || this.ids is null || this.ids.Count + entityIds.Count > MaxListed)
            {
                this.ids = null;
                return;
            }

            this.ids.UnionWith(entityIds);
        }
    }

    /// <summary>What changed since the last call: false when nothing; <paramref name="entityIds"/> null for "anything".</summary>
    public bool TryTake(out IReadOnlyList<string>? entityIds)
    {
        lock (gate)
        {
            entityIds = this.ids is null ? null : [.. this.ids.Order(StringComparer.Ordinal)];
            var any = this.any;
            this.any = false;
            this.ids = new HashSet<string>(StringComparer.Ordinal);
            return any;
        }
    }
}

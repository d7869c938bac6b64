namespace OfflineSidecar.Host.Serve.Notifications;

/// <summary>
/// The document ids changed since the last cacheChanged notification. Past <see cref="MaxListed"/> the notification says
/// "anything" instead: a pull of a big workspace would otherwise send tens of thousands of ids the editor cannot use.
/// </summary>
internal sealed class ChangedDocuments
{
    public const int MaxListed = 1000;

    private readonly Lock _gate = new();
    private HashSet<string>? _ids = new(StringComparer.Ordinal);
    private bool _any;

    /// <param name="entityIds">Null: anything may have changed.</param>
    public void Add(IReadOnlyCollection<string>? entityIds)
    {
        lock (_gate)
        {
            _any = true;
            if (entityIds is null || _ids is null || _ids.Count + entityIds.Count > MaxListed)
            {
                _ids = null;
                return;
            }

            _ids.UnionWith(entityIds);
        }
    }

    /// <summary>What changed since the last call: false when nothing; <paramref name="entityIds"/> null for "anything".</summary>
    public bool TryTake(out IReadOnlyList<string>? entityIds)
    {
        lock (_gate)
        {
            entityIds = _ids is null ? null : [.. _ids.Order(StringComparer.Ordinal)];
            var any = _any;
            _any = false;
            _ids = new HashSet<string>(StringComparer.Ordinal);
            return any;
        }
    }
}

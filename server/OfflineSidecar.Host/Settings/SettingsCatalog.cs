namespace OfflineSidecar.Host.Settings;

/// <summary>
/// The one list of the extension's settings: names, types, defaults and bounds. <see cref="EffectiveSettings"/> takes
/// its defaults and upper bounds from here; package.json's <c>contributes.configuration</c>, extension/README.md's
/// settings table and the defaults of Core's <c>SyncOptions</c>/<c>StoreOptions</c> are checked against it by
/// SettingsCatalogTests.
/// </summary>
/// <remarks>
/// The sidecar accepts any positive value under a setting's maximum, also below its minimum: the minimum is what the
/// Settings editor offers a user, while tests and tools send smaller ones (a quarter-megabyte cache, a sub-second interval).
/// </remarks>
internal static class SettingsCatalog
{
    public const double MaxMegabytes = 1_048_576;

    public static readonly SettingDefinition ServerUrl = new("offlineSync.serverUrl", "string", "", ProtocolField: "serverUrl");
    public static readonly SettingDefinition SyncMode = new(
        "offlineSync.syncMode", "string", "eager", Choices: ["eager", "periodic", "manual"], ProtocolField: "syncMode");
    public static readonly SettingDefinition SyncIntervalSeconds = new(
        "offlineSync.syncIntervalSeconds", "integer", 30, Minimum: 1, ProtocolField: "syncIntervalSeconds");
    public static readonly SettingDefinition BatchSize = new("offlineSync.batchSize", "integer", 50, Minimum: 1, Maximum: 1000, ProtocolField: "batchSize");
    public static readonly SettingDefinition BatchesInFlight = new(
        "offlineSync.batchesInFlight", "integer", 8, Minimum: 1, Maximum: 64, ProtocolField: "batchesInFlight");
    public static readonly SettingDefinition MaxAttempts = new("offlineSync.maxAttempts", "integer", 5, Minimum: 1, ProtocolField: "maxAttempts");
    public static readonly SettingDefinition WorkOffline = new("offlineSync.workOffline", "boolean", false, ProtocolField: "workOffline");
    public static readonly SettingDefinition Notifications = new(
        "offlineSync.notifications", "string", "errorsOnly", Choices: ["all", "errorsOnly", "none"]);
    public static readonly SettingDefinition ProgressLocation = new(
        "offlineSync.progressLocation", "string", "notification", Choices: ["notification", "window"]);
    public static readonly SettingDefinition TraceServer = new(
        "offlineSync.trace.server", "string", "off", Choices: ["off", "messages", "compact", "verbose"]);
    public static readonly SettingDefinition SidecarPath = new("offlineSync.sidecar.path", "string", "");
    public static readonly SettingDefinition CacheMaxSizeMB = new(
        "offlineSync.cache.maxSizeMB", "number", 256, Minimum: 1, Maximum: MaxMegabytes, ProtocolField: "cacheMaxSizeMB");
    public static readonly SettingDefinition WorkspaceId = new("offlineSync.workspaceId", "string", "");
    public static readonly SettingDefinition SignOutClearData = new(
        "offlineSync.signOut.clearData", "string", "ask", Choices: ["ask", "keep", "clear"]);
    public static readonly SettingDefinition AttachmentMaxSizeMB = new(
        "offlineSync.attachments.maxSizeMB", "number", 25, Minimum: 0.001, Maximum: MaxMegabytes, ProtocolField: "attachmentMaxSizeMB");
    public static readonly SettingDefinition ClockSkewWarningMinutes = new("offlineSync.clock.skewWarningMinutes", "number", 2, Minimum: 0);
    public static readonly SettingDefinition LowSpaceWarningMB = new(
        "offlineSync.storage.lowSpaceWarningMB", "number", 500, Minimum: 1, Maximum: MaxMegabytes, ProtocolField: "lowSpaceWarningMB");
    public static readonly SettingDefinition LowSpaceWarningPercent = new(
        "offlineSync.storage.lowSpaceWarningPercent", "number", 5, Minimum: 0.01, Maximum: 100, ProtocolField: "lowSpaceWarningPercent");
    public static readonly SettingDefinition CriticalSpaceMB = new(
        "offlineSync.storage.criticalSpaceMB", "number", 50, Minimum: 0.01, Maximum: MaxMegabytes, ProtocolField: "criticalSpaceMB");

    /// <summary>Every setting package.json declares, each once.</summary>
    public static readonly IReadOnlyList<SettingDefinition> All =
    [
        ServerUrl, SyncMode, SyncIntervalSeconds, BatchSize, BatchesInFlight, MaxAttempts, WorkOffline, Notifications,
        ProgressLocation, TraceServer, SidecarPath, CacheMaxSizeMB, WorkspaceId, SignOutClearData, AttachmentMaxSizeMB,
        ClockSkewWarningMinutes, LowSpaceWarningMB, LowSpaceWarningPercent, CriticalSpaceMB,
    ];
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OfflineSidecar.Core.Storage;
using OfflineSidecar.Core.Sync;
using OfflineSidecar.Host.Protocol;
using OfflineSidecar.Host.Protocol.Workspace;
using OfflineSidecar.Host.Settings;
using OfflineSidecar.Host.Tests.Support;

namespace OfflineSidecar.Host.Tests.Settings;

/// <summary>Every copy of a setting's name, type, default and bounds agrees with <see cref="SettingsCatalog"/>.</summary>
public sealed class SettingsCatalogTests
{
    private static readonly Regex ReadmeRow = new(@"^\| `(offlineSync\.[^`]+)` \| `([^`]*)` \|", RegexOptions.Multiline);

    public static TheoryData<string> Keys() => [.. SettingsCatalog.All.Select(setting => setting.Key)];

    public static TheoryData<string> SidecarKeys() => [.. SettingsCatalog.All.Where(s => s.ProtocolField is not null && s != SettingsCatalog.ServerUrl).Select(s => s.Key)];

    [Fact]
    public void Package_json_declares_exactly_the_catalog_settings() =>
        Assert.Equal(SettingsCatalog.All.Select(s => s.Key).Order(StringComparer.Ordinal), Manifest().Select(p => p.Key).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Keys))]
    public void Package_json_has_the_catalog_type_default_bounds_and_choices(string key)
    {
        var setting = Setting(key);
        var declared = Manifest()[key]!.AsObject();
        Assert.Equal(setting.Type, (string?)declared["type"]);
        Assert.Equal(Json(setting.Default), declared["default"]?.ToJsonString());
        Assert.Equal(setting.Minimum, (double?)declared["minimum"]);
        Assert.Equal(setting.Maximum, (double?)declared["maximum"]);
        Assert.Equal(setting.Choices, declared["enum"]?.AsArray().Select(choice => (string)choice!).ToList());
    }

    [Fact]
    public void The_readme_table_lists_every_setting_once_with_its_default()
    {
        var rows = ReadmeRow.Matches(File.ReadAllText(RepositoryFiles.Path("extension/README.md")))
            .Select(row => (Key: row.Groups[1].Value, Default: row.Groups[2].Value))
            .ToList();
        Assert.Equal(SettingsCatalog.All.Select(s => s.Key).Order(StringComparer.Ordinal), rows.Select(r => r.Key).Order(StringComparer.Ordinal));
        foreach (var (key, shown) in rows)
        {
            Assert.True(ReadmeDefault(Setting(key)) == shown, $"{key}: README shows `{shown}`, the catalog says `{ReadmeDefault(Setting(key))}`");
        }
    }

    [Theory]
    [MemberData(nameof(SidecarKeys))]
    public void The_protocol_field_exists_and_the_sidecar_default_is_the_catalog_default(string key)
    {
        var setting = Setting(key);
        // Sending the catalog's default changes nothing only if the sidecar's default is that value.
        var patch = Patch(setting, Json(setting.Default));
        Assert.Equal(EffectiveSettings.Defaults, EffectiveSettings.Defaults.With(patch, "settings"));
    }

    [Theory]
    [MemberData(nameof(SidecarKeys))]
    public void The_sidecar_accepts_the_catalog_bounds_and_refuses_what_lies_outside(string key)
    {
        var setting = Setting(key);
        if (setting.Type == "boolean" || setting.Choices is not null)
        {
            return;
        }

        foreach (var inside in new[] { setting.Minimum, setting.Maximum }.OfType<double>())
        {
            EffectiveSettings.Defaults.With(Patch(setting, Number(inside)), "settings");
        }

        var outside = new List<double> { 0, -1 };
        if (setting.Maximum is { } maximum)
        {
            outside.Add(setting.Type == "integer" ? maximum + 1 : maximum * 1.001);
        }

        foreach (var value in outside)
        {
            var refusal = Assert.Throws<SettingsException>(() => EffectiveSettings.Defaults.With(Patch(setting, Number(value)), "settings"));
            Assert.Contains(setting.ProtocolField!, refusal.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Core_defaults_agree_with_the_catalog()
    {
        var defaults = EffectiveSettings.Defaults;
        var engine = new SyncOptions();
        var sidecar = defaults.ToSyncOptions();
        Assert.Equal(engine.Mode, sidecar.Mode);
        Assert.Equal(engine.SyncInterval, sidecar.SyncInterval);
        Assert.Equal(engine.BatchSize, sidecar.BatchSize);
        Assert.Equal(engine.MaxBatchesInFlight, sidecar.MaxBatchesInFlight);
        Assert.Equal(engine.MaxAttempts, sidecar.MaxAttempts);
        Assert.Equal(engine.WorkOffline, sidecar.WorkOffline);
        Assert.Equal(engine.CacheMaxBytes, sidecar.CacheMaxBytes);
        var store = new StoreOptions { DatabasePath = "unused" };
        Assert.Equal(store.MaxAttachmentBytes, defaults.AttachmentMaxBytes);
        Assert.Equal(store.SpaceThresholds, defaults.Space);
    }

    private static SettingDefinition Setting(string key) => SettingsCatalog.All.Single(s => s.Key == key);

    private static JsonObject Manifest() =>
        JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("package.json")))!["contributes"]!["configuration"]!["properties"]!.AsObject();

    private static string ReadmeDefault(SettingDefinition setting) => setting.Default switch
    {
        "" => "\"\"",
        string text => text,
        bool flag => flag ? "true" : "false",
        _ => setting.DefaultNumber.ToString(CultureInfo.InvariantCulture),
    };

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Json(object value) => value switch
    {
        string text => JsonValue.Create(text).ToJsonString(),
        bool flag => flag ? "true" : "false",
        _ => Number(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
    };

    private static OfflineSyncConfigurationSection Patch(SettingDefinition setting, string json)
    {
        // A misspelt protocol field would be skipped by the reader, and the patch would prove nothing.
        var fields = ProtocolJsonContext.Default.GetTypeInfo(typeof(OfflineSyncConfigurationSection))!.Properties.Select(p => p.Name);
        Assert.Contains(setting.ProtocolField!, fields);
        return JsonSerializer.Deserialize($"{{\"{setting.ProtocolField}\":{json}}}", ProtocolJsonContext.Default.OfflineSyncConfigurationSection)!;
    }
}

/**
 * The `offlineSync.*` settings as the sidecar wants them (initializationOptions and didChangeConfiguration),
 * plus the editor-only ones. Pure: takes a getter so tests need no vscode.
 */
import type { NotificationsSetting } from './viewModel/notificationModel';
import type { SidecarConfigurationSection, SyncMode } from './protocol';

export const ConfigSection = 'offlineSync';

/** Reads one key of the `offlineSync` section, e.g. `get('batchSize')`. */
export type ConfigGetter = (key: string) => unknown;

export type ProgressLocationSetting = 'notification' | 'window';

const syncModes: readonly SyncMode[] = ['eager', 'periodic', 'manual'];

/** The sidecar refuses more (1 TB) for any size in MB; the manifest's maxima say the same. */
export const MaxCacheSizeMB = 1_048_576;
export const MaxAttachmentSizeMB = 1_048_576;

/** A size in MB the sidecar accepts: positive, at most 1 TB. */
function megabytes(value: unknown): number | undefined {
    return typeof value === 'number' && value > 0 && value <= MaxCacheSizeMB ? value : undefined;
}

function positiveInt(value: unknown): number | undefined {
    return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * What the sidecar gets. Unset or invalid values are left out so the sidecar's own defaults apply;
 * an empty server URL means "no server configured" (null).
 */
export function sidecarConfiguration(get: ConfigGetter): SidecarConfigurationSection {
    const section: SidecarConfigurationSection = {};
    const serverUrl = get('serverUrl');
    section.serverUrl = typeof serverUrl === 'string' && serverUrl.trim() !== '' ? serverUrl.trim() : null;
    const syncMode = get('syncMode');
    if (typeof syncMode === 'string' && (syncModes as readonly string[]).includes(syncMode)) {
        section.syncMode = syncMode as SyncMode;
    }
    const interval = positiveInt(get('syncIntervalSeconds'));
    if (interval !== undefined) {
        section.syncIntervalSeconds = interval;
    }
    const batchSize = positiveInt(get('batchSize'));
    if (batchSize !== undefined) {
        section.batchSize = batchSize;
    }
    const batchesInFlight = positiveInt(get('batchesInFlight'));
    if (batchesInFlight !== undefined) {
        section.batchesInFlight = batchesInFlight;
    }
    const maxAttempts = positiveInt(get('maxAttempts'));
    if (maxAttempts !== undefined) {
        section.maxAttempts = maxAttempts;
    }
    const workOffline = get('workOffline');
    if (typeof workOffline === 'boolean') {
        section.workOffline = workOffline;
    }
    const cacheMaxSizeMB = get('cache.maxSizeMB');
    if (typeof cacheMaxSizeMB === 'number' && cacheMaxSizeMB > 0 && cacheMaxSizeMB <= MaxCacheSizeMB) {
        section.cacheMaxSizeMB = cacheMaxSizeMB;
    }
    const attachmentMaxSizeMB = get('attachments.maxSizeMB');
    if (typeof attachmentMaxSizeMB === 'number' && attachmentMaxSizeMB > 0 && attachmentMaxSizeMB <= MaxAttachmentSizeMB) {
        section.attachmentMaxSizeMB = attachmentMaxSizeMB;
    }
    const lowSpaceWarningMB = megabytes(get('storage.lowSpaceWarningMB'));
    if (lowSpaceWarningMB !== undefined) {
        section.lowSpaceWarningMB = lowSpaceWarningMB;
    }
    const lowSpaceWarningPercent = get('storage.lowSpaceWarningPercent');
    if (typeof lowSpaceWarningPercent === 'number' && lowSpaceWarningPercent > 0 && lowSpaceWarningPercent <= 100) {
        section.lowSpaceWarningPercent = lowSpaceWarningPercent;
    }
    const criticalSpaceMB = megabytes(get('storage.criticalSpaceMB'));
    if (criticalSpaceMB !== undefined) {
        section.criticalSpaceMB = criticalSpaceMB;
    }
    return section;
}

export function notificationsSetting(get: ConfigGetter): NotificationsSetting {
    const value = get('notifications');
    return value === 'all' || value === 'none' ? value : 'errorsOnly';
}

export function progressLocationSetting(get: ConfigGetter): ProgressLocationSetting {
    return get('progressLocation') === 'window' ? 'window' : 'notification';
}

export type SignOutClearDataSetting = 'ask' | 'keep' | 'clear';

/** `offlineSync.signOut.clearData`; anything else asks. */
export function signOutClearDataSetting(get: ConfigGetter): SignOutClearDataSetting {
    const value = get('signOut.clearData');
    return value === 'keep' || value === 'clear' ? value : 'ask';
}

/** `offlineSync.clock.skewWarningMinutes` in milliseconds; unset or invalid: 2 minutes. */
export function clockSkewWarningMs(get: ConfigGetter): number {
    const minutes = get('clock.skewWarningMinutes');
    return (typeof minutes === 'number' && Number.isFinite(minutes) && minutes >= 0 ? minutes : 2) * 60_000;
}

/** `offlineSync.sidecar.path`, empty meaning "not set". */
export function sidecarPathSetting(get: ConfigGetter): string | undefined {
    const value = get('sidecar.path');
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** `offlineSync.workspaceId`, empty meaning "derive it from the folders". */
export function workspaceIdSetting(get: ConfigGetter): string | undefined {
    const value = get('workspaceId');
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

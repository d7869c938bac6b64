/** Shows the low-disk notification statusChanged calls for (the decision is storageNotificationModel's). */
import * as vscode from 'vscode';
import { CommandIds } from './commandIds';
import { ConfigSection, notificationsSetting } from './config';
import type { Ctx } from './ctx';
import type { SyncStatus } from './protocol';
import {
    decideStorageNotification,
    initialStorageNotificationState,
    StorageAction,
    storageActionLabels,
    StorageNotification,
    StorageNotificationState,
} from './viewModel/storageNotificationModel';

const actions: Record<StorageAction, () => Thenable<unknown>> = {
    exportQueue: () => vscode.commands.executeCommand(CommandIds.exportQueue),
    openSettings: () => vscode.commands.executeCommand('workbench.action.openSettings', 'offlineSync.storage'),
};

export class StorageNotifications implements vscode.Disposable {
    private state: StorageNotificationState = initialStorageNotificationState;
    private readonly subscription: vscode.Disposable;

    constructor(ctx: Ctx) {
        this.subscription = ctx.onDidChangeStatus((status) => this.onStatus(status));
    }

    private onStatus(status: SyncStatus): void {
        const step = decideStorageNotification(status.storage, this.state);
        this.state = step.state;
        const config = vscode.workspace.getConfiguration(ConfigSection);
        if (step.notification && notificationsSetting((key) => config.get(key)) !== 'none') {
            void this.show(step.notification);
        }
    }

    private async show(notification: StorageNotification): Promise<void> {
        const show = notification.severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
        const choice = await show(notification.message, ...notification.actions.map((a) => storageActionLabels[a]));
        const action = notification.actions.find((a) => storageActionLabels[a] === choice);
        if (action) {
            await actions[action]();
        }
    }

    dispose(): void {
        this.subscription.dispose();
    }
}

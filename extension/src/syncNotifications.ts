/**
 * Turns `offlineSync/syncEvent`s into at most one notification per flush (the decision is notificationModel's).
 * Whether credentials are missing or refused is the sidecar's to say (it has the token from `initialize` on): an
 * `authRequired` it sends is shown, never second-guessed here.
 */
import * as vscode from 'vscode';
import { CommandIds } from './commandIds';
import { ConfigSection, notificationsSetting } from './config';
import type { Ctx } from './ctx';
import type { SyncEvent } from './protocol';
import {
    actionLabels,
    credentialsChanged,
    decideNotification,
    initialNotificationState,
    NotificationAction,
    NotificationDecision,
    NotificationState,
} from './viewModel/notificationModel';

const actionCommands: Record<NotificationAction, string> = {
    resolve: CommandIds.showQueue,
    retry: CommandIds.retryAllFailed,
    viewDetails: CommandIds.showQueue,
    signIn: CommandIds.signIn,
    exportQueue: CommandIds.exportQueue,
    showQueue: CommandIds.showQueue,
};

export class SyncNotifications implements vscode.Disposable {
    private state: NotificationState = initialNotificationState;
    private readonly subscription: vscode.Disposable;

    constructor(sidecar: Pick<Ctx, 'onSyncEvent'>) {
        this.subscription = sidecar.onSyncEvent((event) => this.onSyncEvent(event));
    }

    credentialsChanged(): void {
        this.state = credentialsChanged(this.state);
    }

    private onSyncEvent(event: SyncEvent): void {
        const config = vscode.workspace.getConfiguration(ConfigSection);
        const step = decideNotification(event, notificationsSetting((key) => config.get(key)), this.state);
        this.state = step.state;
        if (step.decision) {
            void this.show(step.decision);
        }
    }

    private async show(decision: NotificationDecision): Promise<void> {
        const labels = decision.actions.map((action) => actionLabels[action]);
        const show = decision.severity === 'error'
            ? vscode.window.showErrorMessage
            : decision.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
        const choice = await show(decision.message, ...labels);
        const action = decision.actions.find((a) => actionLabels[a] === choice);
        if (action) {
            await vscode.commands.executeCommand(actionCommands[action]);
        }
    }

    dispose(): void {
        this.subscription.dispose();
    }
}

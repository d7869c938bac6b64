/** The single status bar item: copies statusBarModel() onto a StatusBarItem. Click focuses the queue view. */
import * as vscode from 'vscode';
import { CommandIds } from './commandIds';
import { clockSkewWarningMs, ConfigSection } from './config';
import type { Ctx } from './ctx';
import { statusBarModel, StatusBackground } from './viewModel/statusBarModel';

/** "Last synced: 5 minutes ago" ages even when nothing happens; re-render the same status now and then. */
const TooltipRefreshMs = 30_000;

const backgroundColor: Record<NonNullable<StatusBackground>, string> = {
    warning: 'statusBarItem.warningBackground',
    error: 'statusBarItem.errorBackground',
};

export class SyncStatusBar implements vscode.Disposable {
    private readonly item: vscode.StatusBarItem;
    private readonly disposables: vscode.Disposable[] = [];
    private readonly timer: NodeJS.Timeout;

    constructor(private readonly ctx: Ctx) {
        this.item = vscode.window.createStatusBarItem('offlineSync.status', vscode.StatusBarAlignment.Left, 10);
        this.item.name = 'Offline Sync';
        this.item.command = CommandIds.showQueue;
        this.disposables.push(
            this.item,
            ctx.onDidChangeStatus(() => this.render()),
            ctx.onDidChangeSidecarState(() => this.render()),
            vscode.workspace.onDidChangeConfiguration((e) => {
                if (e.affectsConfiguration(`${ConfigSection}.clock.skewWarningMinutes`)) {
                    this.render();
                }
            }),
        );
        this.timer = setInterval(() => this.render(), TooltipRefreshMs);
        this.render();
        this.item.show();
    }

    render(): void {
        const model = statusBarModel({
            sidecar: this.ctx.sidecarState,
            status: this.ctx.status,
            now: new Date(),
            sidecarProblem: this.ctx.sidecarProblem,
            statusAgeMs: this.ctx.statusAgeMs,
            clockSkewWarningMs: clockSkewWarningMs((key) => vscode.workspace.getConfiguration(ConfigSection).get(key)),
        });
        this.item.text = model.text;
        const tooltip = new vscode.MarkdownString(model.tooltip, true);
        // Only the commands the tooltip links may run from it.
        tooltip.isTrusted = { enabledCommands: model.trustedCommands };
        this.item.tooltip = tooltip;
        this.item.backgroundColor = model.background ? new vscode.ThemeColor(backgroundColor[model.background]) : undefined;
        this.item.accessibilityInformation = { label: model.accessibilityLabel };
    }

    dispose(): void {
        clearInterval(this.timer);
        for (const d of this.disposables.splice(0)) {
            d.dispose();
        }
    }
}

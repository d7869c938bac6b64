/**
 * A pull's `$/progress` (tokens `offline-sidecar/pull/<id>`) as a cancellable progress notification. Cancelling sends
 * `window/workDoneProgress/cancel`: the sidecar stops between pages and keeps what it committed, so the next pull
 * resumes there. A pull is always shown (unlike a flush): it is sent only for pulls longer than one page.
 */
import * as vscode from 'vscode';
import type { ProgressToken, WorkDoneProgressBegin, WorkDoneProgressEnd, WorkDoneProgressReport } from 'vscode-languageserver-protocol';

export const PullTokenPrefix = 'offline-sidecar/pull/';

export function isPullToken(token: ProgressToken): boolean {
    return typeof token === 'string' && token.startsWith(PullTokenPrefix);
}

type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

export class PullProgressRun {
    private progress: vscode.Progress<{ message?: string; increment?: number }> | undefined;
    private reported = 0;
    private finish: (() => void) | undefined;
    ended = false;

    /** @param cancel asks the sidecar to stop this pull. */
    constructor(private readonly cancel: () => void) {}

    handle(value: ProgressValue): void {
        switch (value.kind) {
            case 'begin':
                this.start(value);
                break;
            case 'report':
                this.report(value.message, value.percentage);
                break;
            case 'end':
                this.ended = true;
                this.finish?.();
                break;
        }
    }

    private start(begin: WorkDoneProgressBegin): void {
        const options = { location: vscode.ProgressLocation.Notification, title: begin.title, cancellable: begin.cancellable ?? true };
        void vscode.window.withProgress(options, (progress, token) => {
            this.progress = progress;
            this.report(begin.message, begin.percentage);
            token.onCancellationRequested(() => {
                if (!this.ended) {
                    this.cancel();
                }
            });
            return new Promise<void>((resolve) => {
                this.finish = resolve;
                if (this.ended) {
                    resolve();
                }
            });
        });
    }

    /** VS Code wants increments; the sidecar sends a percentage only when the total is known. */
    private report(message: string | undefined, percentage: number | undefined): void {
        if (!this.progress) {
            return;
        }
        const increment = percentage === undefined ? undefined : Math.max(0, percentage - this.reported);
        if (percentage !== undefined) {
            this.reported = Math.max(this.reported, percentage);
        }
        this.progress.report({ message, increment });
    }
}

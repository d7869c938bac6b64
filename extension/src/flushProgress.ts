/**
 * Shows a flush's `$/progress` as a notification (or in the window's status area, per
 * `offlineSync.progressLocation`) when the flush is bigger than a few operations, and a pull's as a cancellable
 * notification (pullProgress.ts).
 * It replaces the client's built-in ProgressFeature, which would always use a silent window progress;
 * the size of the flush comes from the `flushStarted` syncEvent, which may arrive before or after `begin`.
 */
import * as vscode from 'vscode';
import type { FeatureState, LanguageClient, StaticFeature } from 'vscode-languageclient/node';
import {
    ClientCapabilities,
    WorkDoneProgress,
    WorkDoneProgressBegin,
    WorkDoneProgressCreateRequest,
    WorkDoneProgressEnd,
    WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';
import type { ProgressLocationSetting } from './config';
import { SyncEvent, WorkDoneProgressCancelNotification } from './protocol';
import { isPullToken, PullProgressRun } from './pullProgress';
import { shouldShowFlushProgress } from './viewModel/notificationModel';

type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

/** One `$/progress` token's life: begin → report* → end. */
class ProgressRun {
    private begin: WorkDoneProgressBegin | undefined;
    private latest: { message?: string; percentage?: number } = {};
    private reported = 0;
    private progress: vscode.Progress<{ message?: string; increment?: number }> | undefined;
    private finish: (() => void) | undefined;
    private decided = false;
    ended = false;

    constructor(private readonly location: () => ProgressLocationSetting) {}

    handle(value: ProgressValue, flushTotal: number | undefined): void {
        switch (value.kind) {
            case 'begin':
                this.begin = value;
                this.latest = { message: value.message, percentage: value.percentage };
                this.decide(flushTotal);
                break;
            case 'report':
                this.latest = { message: value.message ?? this.latest.message, percentage: value.percentage ?? this.latest.percentage };
                this.push();
                break;
            case 'end':
                this.ended = true;
                this.finish?.();
                break;
        }
    }

    /** Called again when the flush size becomes known after `begin`. */
    decide(flushTotal: number | undefined): void {
        if (this.decided || this.ended || this.begin === undefined || flushTotal === undefined) {
            return;
        }
        this.decided = true;
        if (!shouldShowFlushProgress(flushTotal)) {
            return;
        }
        const location = this.location() === 'window' ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
        void vscode.window.withProgress({ location, title: this.begin.title, cancellable: false }, (progress) => {
            this.progress = progress;
            this.push();
            return new Promise<void>((resolve) => {
                this.finish = resolve;
                if (this.ended) {
                    resolve();
                }
            });
        });
    }

    private push(): void {
        if (!this.progress) {
            return;
        }
        const percentage = this.latest.percentage ?? this.reported;
        const increment = Math.max(0, percentage - this.reported);
        this.reported = Math.max(this.reported, percentage);
        this.progress.report({ message: this.latest.message, increment });
    }
}

export class FlushProgress implements vscode.Disposable {
    private flushTotal: number | undefined;
    private readonly runs = new Set<ProgressRun | PullProgressRun>();

    constructor(private readonly location: () => ProgressLocationSetting) {}

    /** Fed from `offlineSync/syncEvent`. */
    onSyncEvent(event: SyncEvent): void {
        if (event.kind === 'flushStarted') {
            this.flushTotal = event.total ?? event.ids.length;
            for (const run of this.runs) {
                if (run instanceof ProgressRun) {
                    run.decide(this.flushTotal);
                }
            }
        } else if (event.kind === 'flushCompleted') {
            this.flushTotal = undefined;
        }
    }

    /** The client feature that answers `window/workDoneProgress/create` and follows the token. */
    feature(client: LanguageClient): StaticFeature {
        const progress = this;
        const listeners: vscode.Disposable[] = [];
        return {
            fillClientCapabilities(capabilities: ClientCapabilities): void {
                capabilities.window = { ...capabilities.window, workDoneProgress: true };
            },
            initialize(): void {
                client.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
                    const run = isPullToken(token)
                        ? new PullProgressRun(() => void client.sendNotification(WorkDoneProgressCancelNotification.type, { token }))
                        : new ProgressRun(progress.location);
                    progress.runs.add(run);
                    const listener = client.onProgress(WorkDoneProgress.type, token, (value) => {
                        if (run instanceof ProgressRun) {
                            run.handle(value, progress.flushTotal);
                        } else {
                            run.handle(value);
                        }
                        if (run.ended) {
                            progress.runs.delete(run);
                            listener.dispose();
                        }
                    });
                    listeners.push(listener);
                });
            },
            getState(): FeatureState {
                return { kind: 'static' };
            },
            clear(): void {
                for (const run of progress.runs) {
                    run.handle({ kind: 'end' }, undefined);
                }
                progress.runs.clear();
                for (const listener of listeners.splice(0)) {
                    listener.dispose();
                }
            },
        };
    }

    dispose(): void {
        for (const run of this.runs) {
            run.handle({ kind: 'end' }, undefined);
        }
        this.runs.clear();
    }
}

/**
 * The "Sync Queue" tree: groups from the latest counts, children paged through `offlineSync/listOperations`
 * (never the whole queue). It refreshes only on `offlineSync/queueChanged`, debounced.
 */
import * as vscode from 'vscode';
import { ContextKeys, QueueViewId } from './commandIds';
import type { Ctx } from './ctx';
import { debounce } from './debounce';
import { ListOperationsRequest, Operation, QueueCounts } from './protocol';
import {
    GroupRow,
    GroupStatus,
    groupChildren,
    groupRows,
    LoadMoreRow,
    OperationRow,
    queueBadge,
    QueuePageSize,
    QueueRow,
} from './viewModel/queueTreeModel';

/** queueChanged can arrive ~10 times a second during a flush; the tree redraws at most this often. */
export const QueueRefreshDebounceMs = 200;
const MaxPageSize = 500;

interface LoadedGroup {
    items: Operation[];
    nextCursor: string | null;
    total: number;
}

const iconColor: Partial<Record<string, string>> = {
    error: 'problemsErrorIcon.foreground',
    warning: 'problemsWarningIcon.foreground',
};

export class QueueTreeProvider implements vscode.TreeDataProvider<QueueRow>, vscode.Disposable {
    private counts: QueueCounts | undefined;
    private readonly loaded = new Map<GroupStatus, LoadedGroup>();
    /** How many rows each group showed before a refresh, so a refresh does not collapse "Load more…" pages. */
    private readonly wanted = new Map<GroupStatus, number>();
    private readonly changeEmitter = new vscode.EventEmitter<QueueRow | undefined>();
    private readonly countsEmitter = new vscode.EventEmitter<QueueCounts | undefined>();
    private readonly disposables: vscode.Disposable[] = [];
    private readonly scheduleRefresh = debounce((counts: QueueCounts) => this.refresh(counts), QueueRefreshDebounceMs);

    readonly onDidChangeTreeData = this.changeEmitter.event;
    /** Fires after the provider took new counts (badge, context keys). */
    readonly onDidChangeCounts = this.countsEmitter.event;

    constructor(private readonly ctx: Ctx) {
        this.disposables.push(
            this.changeEmitter,
            this.countsEmitter,
            ctx.onDidChangeQueue((counts) => this.scheduleRefresh(counts)),
            // The first status of a sidecar carries the counts the tree starts from; later ones do not refresh it.
            ctx.onDidChangeStatus((status) => {
                if (this.counts === undefined) {
                    this.refresh(status.counts);
                }
            }),
            ctx.onDidChangeSidecarState((state) => {
                if (state !== 'running') {
                    this.scheduleRefresh.cancel();
                    this.refresh(undefined);
                }
            }),
        );
    }

    get currentCounts(): QueueCounts | undefined {
        return this.counts;
    }

    getTreeItem(row: QueueRow): vscode.TreeItem {
        switch (row.kind) {
            case 'group': {
                const expanded = row.status === 'conflict' || row.status === 'failed';
                const item = new vscode.TreeItem(
                    row.label,
                    expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
                );
                item.id = row.id;
                item.description = row.description;
                item.iconPath = new vscode.ThemeIcon(row.icon);
                item.contextValue = row.contextValue;
                return item;
            }
            case 'operation': {
                const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
                item.id = row.id;
                item.description = row.description;
                item.tooltip = new vscode.MarkdownString(row.tooltip, true);
                const color = iconColor[row.icon];
                item.iconPath = new vscode.ThemeIcon(row.icon, color ? new vscode.ThemeColor(color) : undefined);
                item.contextValue = row.contextValue;
                return item;
            }
            case 'loadMore': {
                const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
                item.id = row.id;
                item.description = row.description;
                item.command = { title: row.label, command: row.command, arguments: [row.status] };
                item.contextValue = 'loadMore';
                return item;
            }
        }
    }

    async getChildren(row?: QueueRow): Promise<QueueRow[]> {
        if (row === undefined) {
            return this.counts ? groupRows(this.counts) : [];
        }
        if (row.kind !== 'group') {
            return [];
        }
        const group = await this.loadGroup(row);
        return groupChildren(row.status, group.items, group, new Date());
    }

    /** "Load more…": the next page of one group, appended. */
    async loadMore(status: GroupStatus): Promise<void> {
        const group = this.loaded.get(status);
        if (!group || group.nextCursor === null) {
            return;
        }
        const client = await this.ctx.client();
        const page = await client.sendRequest(ListOperationsRequest.type, {
            statuses: [status],
            cursor: group.nextCursor,
            limit: QueuePageSize,
        });
        // A refresh may have replaced the group meanwhile; only extend the one the page belongs to.
        if (this.loaded.get(status) === group) {
            this.loaded.set(status, { items: [...group.items, ...page.items], nextCursor: page.nextCursor, total: page.total });
            this.changeEmitter.fire(undefined);
        }
    }

    /** The operation rows a command was invoked on: the clicked row plus the multi-selection. */
    static selectedOperations(clicked: unknown, selection: unknown): OperationRow[] {
        const rows = Array.isArray(selection) && selection.length > 0 ? selection : [clicked];
        return rows.filter((r): r is OperationRow => isOperationRow(r));
    }

    private async loadGroup(row: GroupRow): Promise<LoadedGroup> {
        const cached = this.loaded.get(row.status);
        if (cached) {
            return cached;
        }
        const limit = Math.min(MaxPageSize, Math.max(QueuePageSize, this.wanted.get(row.status) ?? 0));
        try {
            const client = await this.ctx.client();
            const page = await client.sendRequest(ListOperationsRequest.type, { statuses: [row.status], limit });
            const group: LoadedGroup = { items: page.items, nextCursor: page.nextCursor, total: page.total };
            this.loaded.set(row.status, group);
            return group;
        } catch (error) {
            this.ctx.log.error(`Listing ${row.status} operations: ${(error as Error).message}`);
            return { items: [], nextCursor: null, total: 0 };
        }
    }

    private refresh(counts: QueueCounts | undefined): void {
        this.wanted.clear();
        for (const [status, group] of this.loaded) {
            this.wanted.set(status, group.items.length);
        }
        this.loaded.clear();
        this.counts = counts;
        this.countsEmitter.fire(counts);
        this.changeEmitter.fire(undefined);
    }

    dispose(): void {
        this.scheduleRefresh.cancel();
        for (const d of this.disposables.splice(0)) {
            d.dispose();
        }
    }
}

export function isOperationRow(value: unknown): value is OperationRow {
    return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'operation';
}

export function isLoadMoreRow(value: unknown): value is LoadMoreRow {
    return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'loadMore';
}

/** Creates the view, its badge and the `offlineSync.queueEmpty` context key (for the welcome content). */
export function createQueueView(provider: QueueTreeProvider): { view: vscode.TreeView<QueueRow>; disposable: vscode.Disposable } {
    const view = vscode.window.createTreeView(QueueViewId, { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true });
    const update = (counts: QueueCounts | undefined): void => {
        view.badge = counts ? queueBadge(counts) : undefined;
        const empty = counts === undefined || counts.pending + counts.syncing + counts.failed + counts.conflict === 0;
        void vscode.commands.executeCommand('setContext', ContextKeys.queueEmpty, empty);
    };
    update(undefined);
    return { view, disposable: vscode.Disposable.from(provider.onDidChangeCounts(update), view) };
}

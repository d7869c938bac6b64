/**
 * Read-only documents on the `offline-sync-op:` scheme, fetched from the sidecar with `getOperation`:
 *   offline-sync-op:/<id>/details.json  – the whole operation with its attempt history and conflict
 *   offline-sync-op:/<id>/local.json    – the local payload (right of a conflict diff)
 *   offline-sync-op:/<id>/server.json   – the server's payload of a conflict
 *   offline-sync-op:/<id>/local/<name>  – the local TEXT of a text document (`name` is the document's, so the diff
 *   offline-sync-op:/<id>/server/<name>   gets its language), and the server's text of it
 */
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { debounce } from './debounce';
import { textOf } from './documents/textPayload';
import { GetOperationRequest } from './protocol';

export const OperationScheme = 'offline-sync-op';

export type OperationDocumentKind = 'details' | 'local' | 'server';

/** With `textName`, the text of a text document payload instead of the payload's JSON (local and server only). */
export function operationUri(id: string, kind: OperationDocumentKind, textName?: string): vscode.Uri {
    const file = textName === undefined ? `${kind}.json` : `${kind}/${encodeURIComponent(textName)}`;
    return vscode.Uri.from({ scheme: OperationScheme, path: `/${encodeURIComponent(id)}/${file}` });
}

export interface ParsedOperationUri { id: string; kind: OperationDocumentKind; text: boolean }

export function parseOperationUri(uri: vscode.Uri): ParsedOperationUri | undefined {
    const json = /^\/([^/]+)\/(details|local|server)\.json$/.exec(uri.path);
    if (json?.[1] !== undefined && json[2] !== undefined) {
        return { id: decodeURIComponent(json[1]), kind: json[2] as OperationDocumentKind, text: false };
    }
    const text = /^\/([^/]+)\/(local|server)\/[^/]+$/.exec(uri.path);
    if (text?.[1] !== undefined && text[2] !== undefined) {
        return { id: decodeURIComponent(text[1]), kind: text[2] as OperationDocumentKind, text: true };
    }
    return undefined;
}

/** A payload as a document of the diff: its text, or (not a text document, or asked for JSON) its JSON. */
function payloadDocument(payload: unknown, asText: boolean): string {
    const text = asText ? textOf(payload) : undefined;
    if (text !== undefined) {
        return text;
    }
    // A deleted (or never created) document has no text: its side of a text diff is empty.
    if (asText && payload === null) {
        return '';
    }
    return `${JSON.stringify(payload ?? null, null, 2)}\n`;
}

/** The operation documents a tab shows (a diff's two sides, or one editor's document); none for other tabs. */
function tabUris(input: unknown): vscode.Uri[] {
    if (typeof input !== 'object' || input === null) {
        return [];
    }
    const { original, modified, uri } = input as { original?: unknown; modified?: unknown; uri?: unknown };
    return [original, modified, uri].filter((u): u is vscode.Uri => u instanceof vscode.Uri);
}

/** True when a tab's input (TabInputTextDiff or TabInputText) shows one of operation `id`'s documents. */
export function isOperationTabInput(input: unknown, id: string, kinds: readonly OperationDocumentKind[] = ['local', 'server']): boolean {
    return tabUris(input).some((uri) => {
        if (uri.scheme !== OperationScheme) {
            return false;
        }
        const parsed = parseOperationUri(uri);
        return parsed !== undefined && parsed.id === id && kinds.includes(parsed.kind);
    });
}

/**
 * Closes the Compare (server ↔ local) editors of an operation whose conflict was resolved: their documents would
 * otherwise turn into "Operation … is not available" on both sides.
 */
export async function closeOperationDiffs(id: string): Promise<void> {
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => isOperationTabInput(tab.input, id));
    if (tabs.length > 0) {
        await vscode.window.tabGroups.close(tabs, true);
    }
}

export class OperationDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
    private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
    private readonly disposables: vscode.Disposable[] = [];
    readonly onDidChange = this.changeEmitter.event;

    constructor(private readonly ctx: Ctx) {
        // Open documents follow the queue: a retry or a new attempt shows up without reopening.
        const refreshOpen = debounce(() => {
            for (const doc of vscode.workspace.textDocuments) {
                if (doc.uri.scheme === OperationScheme) {
                    this.changeEmitter.fire(doc.uri);
                }
            }
        }, 500);
        this.disposables.push(this.changeEmitter, ctx.onDidChangeQueue(() => refreshOpen()), { dispose: () => refreshOpen.cancel() });
    }

    async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
        const parsed = parseOperationUri(uri);
        if (!parsed) {
            return `// Not an operation document: ${uri.toString()}\n`;
        }
        try {
            const client = await this.ctx.client();
            const details = await client.sendRequest(GetOperationRequest.type, { id: parsed.id });
            switch (parsed.kind) {
                case 'details':
                    return `${JSON.stringify(details, null, 2)}\n`;
                case 'local':
                    return payloadDocument(details.operation.payload ?? null, parsed.text);
                case 'server':
                    return details.conflict
                        ? payloadDocument(details.conflict.serverPayload, parsed.text)
                        : '// This operation has no conflict with the server.\n';
            }
        } catch (error) {
            return `// Operation ${parsed.id} is not available: ${(error as Error).message}\n`;
        }
    }

    dispose(): void {
        for (const d of this.disposables.splice(0)) {
            d.dispose();
        }
    }
}

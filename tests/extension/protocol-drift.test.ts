/**
 * The contract is declared three times: extension/src/protocol.ts, the sidecar (its `protocol --json`),
 * and the `### \`method\` (direction)` headings of docs/protocol.md. They must list the same methods with the
 * same directions. Field names and JSON kinds of every params and result are compared with the sidecar's records
 * by tests/OfflineSidecar.Host.Tests/Protocol/ProtocolFieldDriftTests.cs (the side that can reflect them).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ProtocolRequestType, ProtocolRequestType0 } from 'vscode-languageserver-protocol';
import { allMessages, MessageDirection } from '../../extension/src/protocol';
import { repoRoot } from './support/paths';
import { sidecarCommand } from './support/sidecarBinary';

type Direction = 'clientToServer' | 'serverToClient' | 'both';

/** "method direction" lines, sorted, so a failure shows exactly what differs. */
function lines(entries: Iterable<{ method: string; direction: Direction }>): string[] {
    return [...entries].map((e) => `${e.method} ${e.direction}`).sort();
}

function normalizeDirection(raw: unknown): Direction {
    const key = String(raw).toLowerCase().replace(/[^a-z]/g, '');
    const map: Record<string, Direction> = {
        clienttoserver: 'clientToServer',
        clientserver: 'clientToServer',
        servertoclient: 'serverToClient',
        serverclient: 'serverToClient',
        both: 'both',
    };
    const direction = map[key];
    if (!direction) {
        throw new Error(`unknown direction ${JSON.stringify(raw)}`);
    }
    return direction;
}

function fromTypeScript(): { method: string; direction: Direction }[] {
    return allMessages.map((m) => ({ method: m.method, direction: normalizeDirection(m.messageDirection) }));
}

function fromDocs(): { method: string; direction: Direction }[] {
    const doc = readFileSync(path.join(repoRoot, 'docs/protocol.md'), 'utf8');
    return [...doc.matchAll(/^### `([^`]+)` \(([^)]+)\)\s*$/gm)].map((m) => ({
        method: m[1] ?? '',
        direction: normalizeDirection((m[2] ?? '').replace('→', 'to')),
    }));
}

function fromSidecar(): { method: string; direction: Direction; kind?: string }[] {
    const { command, args } = sidecarCommand();
    const out = execFileSync(command, [...args, 'protocol', '--json'], { encoding: 'utf8', timeout: 60_000 });
    const parsed = JSON.parse(out) as unknown;
    const list = Array.isArray(parsed) ? parsed : (parsed as { messages?: unknown[] }).messages;
    assert.ok(Array.isArray(list), `unexpected "protocol --json" output: ${out.slice(0, 200)}`);
    return list.map((raw) => {
        const entry = raw as { method?: unknown; direction?: unknown; messageDirection?: unknown; kind?: unknown };
        return {
            method: String(entry.method),
            direction: normalizeDirection(entry.direction ?? entry.messageDirection),
            kind: entry.kind === undefined ? undefined : String(entry.kind).toLowerCase(),
        };
    });
}

describe('protocol drift', () => {
    it('declares each method once in protocol.ts', () => {
        const methods = allMessages.map((m) => m.method);
        assert.deepEqual(methods.filter((m, i) => methods.indexOf(m) !== i), []);
        assert.ok(methods.length >= 27, `only ${methods.length} messages declared`);
    });

    it('docs/protocol.md headings == protocol.ts', () => {
        const docs = fromDocs();
        assert.ok(docs.length > 20, `only ${docs.length} headings parsed: is the heading format still "### \`method\` (direction)"?`);
        assert.deepEqual(lines(fromTypeScript()), lines(docs));
    });

    it('the sidecar (`offline-sidecar protocol --json`) == protocol.ts, requests and notifications alike', () => {
        const sidecar = fromSidecar();
        assert.deepEqual(lines(fromTypeScript()), lines(sidecar));
        for (const entry of sidecar) {
            if (entry.kind === undefined) {
                continue;
            }
            const declared = allMessages.find((m) => m.method === entry.method) as { type?: unknown } | undefined;
            if (declared?.type === undefined) {
                continue; // $/progress: LSP gives it no request/notification type object.
            }
            const isRequest = declared.type instanceof ProtocolRequestType || declared.type instanceof ProtocolRequestType0;
            assert.equal(entry.kind, isRequest ? 'request' : 'notification', entry.method);
        }
    });

    it('uses the MessageDirection values of vscode-jsonrpc', () => {
        assert.deepEqual(new Set(allMessages.map((m) => m.messageDirection)), new Set([MessageDirection.clientToServer, MessageDirection.serverToClient, MessageDirection.both]));
    });
});

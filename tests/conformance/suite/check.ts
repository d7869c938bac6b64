/** What a conformance check is, what it may use, and how a run reports it. */
import { randomUUID } from 'node:crypto';
import { Health, SyncClient, WireCommand } from './http';
import { AdminApi } from './admin';

export interface Check {
    /** Stable name, e.g. `idempotency.replay-returns-stored-result`: what --only matches and what a failure names. */
    id: string;
    /** The heading of docs/sync-protocol.md that states the rule. */
    section: string;
    /** The rule, in one sentence. */
    rule: string;
    run(context: CheckContext): Promise<void>;
}

/** Thrown by a check that cannot run here (no token, no second account, no admin API); the reason is printed. */
export class Skip extends Error {}

export interface CheckContext {
    /** Acts with --token (or without a token on an open server). */
    client: SyncClient;
    /** Acts with --token2, a second account; undefined when not given. */
    other: SyncClient | undefined;
    /** True when --token was given, i.e. the server requires tokens. */
    requiresToken: boolean;
    /**
     * Fault injection and compaction (the reference server's /admin API, on every replica), for a check that must
     * provoke `purpose`; throws Skip, saying why there is none, when the server has no admin API.
     */
    needAdmin(purpose: string): AdminApi;
    health: Health;
    /** A fresh workspace id: every check writes only to its own, so runs against a shared server never collide. */
    workspace(): string;
    /** A fresh idempotency key. */
    key(): string;
}

export type Outcome = { check: Check; status: 'pass' } | { check: Check; status: 'fail' | 'skip'; reason: string };

export function newRunId(): string {
    return randomUUID().slice(0, 8);
}

export function idSource(runId: string): { workspace(): string; key(): string } {
    let workspaces = 0;
    return {
        workspace: () => `conformance-${runId}-${++workspaces}`,
        key: () => randomUUID(),
    };
}

let commandNumber = 0;

export function put(entityId: string, payload: unknown, extra: Partial<WireCommand> = {}): WireCommand {
    return { commandId: `c${++commandNumber}`, idempotencyKey: randomUUID(), type: 'document.put.v1', entityId, payload, ...extra };
}

export function del(entityId: string, extra: Partial<WireCommand> = {}): WireCommand {
    return { commandId: `c${++commandNumber}`, idempotencyKey: randomUUID(), type: 'document.delete.v1', entityId, payload: null, ...extra };
}

export function command(fields: Partial<WireCommand>): WireCommand {
    return { commandId: `c${++commandNumber}`, ...fields };
}

/** Runs the checks one after the other (each on its own workspaces), reporting each outcome as it ends. */
export async function runChecks(checks: readonly Check[], context: CheckContext, report: (outcome: Outcome) => void): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const check of checks) {
        let outcome: Outcome;
        try {
            await check.run(context);
            outcome = { check, status: 'pass' };
        } catch (error) {
            outcome = error instanceof Skip
                ? { check, status: 'skip', reason: error.message }
                : { check, status: 'fail', reason: error instanceof Error ? error.message : String(error) };
        }
        outcomes.push(outcome);
        report(outcome);
    }
    return outcomes;
}

/** `applied 3`, `duplicate 1`, `conflict version_mismatch`, `rejected unknown_type`: a result as a comparison shows it. */
export function statusVersion(results: { status: string; version?: number; code?: string }[]): string[] {
    return results.map((r) => `${r.status} ${r.status === 'applied' || r.status === 'duplicate' ? r.version : r.code}`);
}

/** The protocol over HTTP as a client sees it: no knowledge of any server's internals. */

export interface Answer {
    status: number;
    headers: Headers;
    body: Buffer;
    /** The body parsed as JSON, or undefined when it is not JSON. */
    json: unknown;
}

export interface WireCommand {
    commandId: string;
    idempotencyKey?: string;
    type?: string;
    entityId?: string;
    expectedVersion?: number;
    payload?: unknown;
    createdAt?: string;
    attachments?: { sha256: string; name: string; mediaType?: string; size: number }[];
}

export interface ServerState { version: number; payload: unknown; deleted: boolean }

export interface CommandResult {
    commandId: string;
    status: string;
    version?: number;
    code?: string;
    message?: string;
    server?: ServerState;
}

export interface ChangeRow { entityId: string; type: string; version: number; payload?: unknown; deleted: boolean }

export interface ChangesPage { changes: ChangeRow[]; cursor: string; hasMore: boolean; remaining?: number }

export interface Health { serverTime: string; protocolVersion: number; maxBatchCommands: number; maxBodyBytes: number }

export interface RequestOptions {
    body?: string | Buffer;
    contentType?: string;
    /** undefined: the client's own token; null: no Authorization header; a string: that token. */
    token?: string | null;
}

/** A fetch that never throws for an HTTP status; a connection error is reported with the request it broke. */
export class SyncClient {
    constructor(
        readonly baseUrl: string,
        readonly token: string | undefined,
    ) {}

    withToken(token: string | undefined): SyncClient {
        return new SyncClient(this.baseUrl, token);
    }

    async request(method: string, path: string, options: RequestOptions = {}): Promise<Answer> {
        const headers: Record<string, string> = {};
        const token = options.token === undefined ? this.token : options.token;
        if (token !== null && token !== undefined) {
            headers.authorization = `Bearer ${token}`;
        }
        if (options.body !== undefined) {
            headers['content-type'] = options.contentType ?? 'application/json';
        }
        let response: Response;
        try {
            response = await fetch(this.baseUrl + path, { method, headers, body: options.body });
        } catch (error) {
            const cause = (error as { cause?: { message?: string } }).cause?.message;
            throw new Error(`${method} ${path}: no HTTP answer (${cause ?? String(error)})`);
        }
        const body = Buffer.from(await response.arrayBuffer());
        let json: unknown;
        try {
            json = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
        } catch {
            json = undefined;
        }
        return { status: response.status, headers: response.headers, body, json };
    }

    postCommands(workspaceId: string, commands: WireCommand[], options: RequestOptions = {}): Promise<Answer> {
        return this.request('POST', '/sync/commands', {
            ...options,
            body: JSON.stringify({ workspaceId, clientId: 'conformance', commands }),
        });
    }

    /** POST /sync/commands that must answer 200 with one result per command, in request order. */
    async apply(workspaceId: string, ...commands: WireCommand[]): Promise<CommandResult[]> {
        const answer = await this.postCommands(workspaceId, commands);
        const results = expectJson<{ results?: CommandResult[] }>(answer, 200, 'POST /sync/commands').results;
        if (!Array.isArray(results) || results.length !== commands.length) {
            throw new Error(`POST /sync/commands: expected ${commands.length} results, got ${JSON.stringify(results)}`);
        }
        results.forEach((result, i) => {
            if (result.commandId !== commands[i]!.commandId) {
                throw new Error(`POST /sync/commands: result ${i} is for '${result.commandId}', expected '${commands[i]!.commandId}' (request order)`);
            }
        });
        return results;
    }

    changes(workspaceId: string, query: { since?: string; limit?: number; count?: boolean } = {}, options: RequestOptions = {}): Promise<Answer> {
        const params = new URLSearchParams({ workspaceId });
        if (query.since !== undefined) params.set('since', query.since);
        if (query.limit !== undefined) params.set('limit', String(query.limit));
        if (query.count !== undefined) params.set('count', String(query.count));
        return this.request('GET', `/sync/changes?${params}`, options);
    }

    async page(workspaceId: string, query: { since?: string; limit?: number; count?: boolean } = {}): Promise<ChangesPage> {
        return expectJson<ChangesPage>(await this.changes(workspaceId, query), 200, 'GET /sync/changes');
    }

    /** Every row after `since`, page by page; also the cursors and hasMore flags seen, for cursor checks. */
    async readAll(workspaceId: string, since?: string, limit?: number): Promise<{ rows: ChangeRow[]; pages: ChangesPage[]; cursor: string }> {
        const rows: ChangeRow[] = [];
        const pages: ChangesPage[] = [];
        let cursor = since;
        for (let i = 0; i < 10_000; i++) {
            const page = await this.page(workspaceId, { since: cursor, limit });
            pages.push(page);
            rows.push(...page.changes);
            cursor = page.cursor;
            if (!page.hasMore) {
                return { rows, pages, cursor };
            }
        }
        throw new Error('GET /sync/changes: hasMore never became false');
    }

    entity(workspaceId: string, entityId: string, options: RequestOptions = {}): Promise<Answer> {
        return this.request('GET', `/sync/entity?${new URLSearchParams({ workspaceId, entityId })}`, options);
    }

    blob(method: 'PUT' | 'HEAD' | 'GET', workspaceId: string | undefined, sha256: string, body?: Buffer, options: RequestOptions = {}): Promise<Answer> {
        const query = workspaceId === undefined ? '' : `?${new URLSearchParams({ workspaceId })}`;
        return this.request(method, `/sync/blobs/${sha256}${query}`, { ...options, body, contentType: 'application/octet-stream' });
    }
}

/** The answer's JSON when it has the status; otherwise an error that shows what came instead. */
export function expectJson<T>(answer: Answer, status: number, what: string): T {
    if (answer.status !== status || answer.json === undefined) {
        throw new Error(`${what}: expected ${status} with a JSON body, got ${describe(answer)}`);
    }
    return answer.json as T;
}

export function describe(answer: Answer): string {
    const text = answer.body.toString('utf8');
    return `${answer.status} ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}

/**
 * A deliberately wrong sync server for the conformance suite's own tests: the real reference server behind an HTTP
 * proxy that breaks one rule of the protocol (rewrites a request or an answer), so a test can show that the check
 * verifying that rule fails.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ProxiedAnswer {
    status: number;
    headers: Map<string, string>;
    body: Buffer;
}

export interface Mutation {
    /** Rewrites a request body before it goes to the server. */
    request?(url: URL, body: Buffer): Buffer;
    /** Rewrites the server's answer (in place) before it goes to the client. */
    response?(url: URL, answer: ProxiedAnswer): void;
}

export interface MutatingProxy {
    url: string;
    close(): Promise<void>;
}

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

export async function startMutatingProxy(upstream: string, mutation: Mutation): Promise<MutatingProxy> {
    const server = createServer((request, response) => {
        forward(upstream, mutation, request, response).catch((error: unknown) => {
            response.destroy(error instanceof Error ? error : new Error(String(error)));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}

async function forward(upstream: string, mutation: Mutation, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
        chunks.push(chunk as Buffer);
    }
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', upstream);
    let body: Buffer = Buffer.concat(chunks);
    if (mutation.request && body.length > 0) {
        body = mutation.request(url, body);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string' && !hopByHop.has(name) && name !== 'host') {
            headers[name] = value;
        }
    }
    const upstreamAnswer = await fetch(url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body });
    const answer: ProxiedAnswer = {
        status: upstreamAnswer.status,
        headers: new Map([...upstreamAnswer.headers].filter(([name]) => !hopByHop.has(name))),
        body: Buffer.from(await upstreamAnswer.arrayBuffer()),
    };
    mutation.response?.(url, answer);
    response.statusCode = answer.status;
    for (const [name, value] of answer.headers) {
        response.setHeader(name, value);
    }
    if (method !== 'HEAD') {
        response.setHeader('content-length', answer.body.length);
    }
    response.end(method === 'HEAD' ? undefined : answer.body);
}

/** Rewrites a JSON body with `edit`; a body that is not JSON is left as it is. */
export function editJson(body: Buffer, edit: (json: Record<string, unknown>) => void): Buffer {
    let json: unknown;
    try {
        json = JSON.parse(body.toString('utf8'));
    } catch {
        return body;
    }
    if (json === null || typeof json !== 'object') {
        return body;
    }
    edit(json as Record<string, unknown>);
    return Buffer.from(JSON.stringify(json));
}

/**
 * The reference server's loopback-only /admin API: fault injection and feed compaction. Not part of the protocol,
 * so only the checks that cannot provoke an answer otherwise (403, 429, 503, a compacted feed) use it, and they are
 * skipped on a server without it. Faults are per process: with replicas, every replica's admin URL is given and a
 * fault is switched on all of them, so whichever replica the balancer picks answers the same.
 */
export class AdminApi {
    constructor(readonly urls: readonly string[]) {}

    /** The admin API at `url`, or the reason there is none. */
    static async probe(url: string): Promise<AdminApi | string> {
        try {
            const response = await fetch(`${url}/admin/faults`);
            const body = await response.text();
            if (response.status === 200 && body.includes('"requireToken"')) {
                return new AdminApi([url]);
            }
            return `GET ${url}/admin/faults answered ${response.status}`;
        } catch (error) {
            return `GET ${url}/admin/faults failed (${String(error)})`;
        }
    }

    async setFaults(faults: Record<string, unknown>): Promise<void> {
        await Promise.all(this.urls.map((url) => call('POST', `${url}/admin/faults`, faults)));
    }

    /** Back to the startup settings on every replica. */
    async resetFaults(): Promise<void> {
        await Promise.all(this.urls.map((url) => call('DELETE', `${url}/admin/faults`)));
    }

    /** With faults switched on for the duration of `body` only. */
    async withFaults<T>(faults: Record<string, unknown>, body: () => Promise<T>): Promise<T> {
        await this.setFaults(faults);
        try {
            return await body();
        } finally {
            await this.resetFaults();
        }
    }

    /** Compacts a workspace's feed; storage is shared, so one replica does it for all. */
    async compact(workspaceId: string): Promise<{ removed: number; horizon: string }> {
        return (await call('POST', `${this.urls[0]}/admin/compact`, { workspaceId })) as { removed: number; horizon: string };
    }
}

async function call(method: string, url: string, body?: unknown): Promise<unknown> {
    const response = await fetch(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
        throw new Error(`${method} ${url}: ${response.status} ${text}`);
    }
    return text.length > 0 ? JSON.parse(text) : undefined;
}

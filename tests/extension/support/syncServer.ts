/** The reference sync server (dist/sync-server) as a child process, with its admin fault switch. */
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { requireBuilt, syncServerBinary } from './paths';

export interface ServerEntity { version: number; payload: unknown; deleted: boolean }

export interface SyncServer {
    url: string;
    setFaults(faults: Record<string, unknown>): Promise<void>;
    /** POST /admin/entities: a write as another client would make it (version + 1, a change row). */
    putEntity(workspaceId: string, entityId: string, payload: unknown): Promise<ServerEntity>;
    /** GET /admin/entities/…; undefined when it was never written. */
    entity(workspaceId: string, entityId: string): Promise<ServerEntity | undefined>;
    stats(): Promise<{ applied: number; requests: number; rejected: number }>;
    stop(): Promise<void>;
}

/** @param extraArgs further options of offline-sync-server, e.g. `--account ID=TOKEN`. */
export async function startSyncServer(dataDir: string, token: string, extraArgs: string[] = []): Promise<SyncServer> {
    const binary = requireBuilt(syncServerBinary);
    const proc: ChildProcessWithoutNullStreams = spawn(binary, ['--port', '0', '--data-dir', dataDir, '--token', token, ...extraArgs], { stdio: 'pipe' });
    let stderr = '';
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const firstLine = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: proc.stdout });
        const timer = setTimeout(() => reject(new Error(`sync server did not start: ${stderr}`)), 30_000);
        lines.once('line', (line) => {
            clearTimeout(timer);
            resolve(line);
        });
        proc.once('exit', (code) => reject(new Error(`sync server exited with ${code}: ${stderr}`)));
    });
    const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(firstLine.trim());
    if (!match?.[1]) {
        proc.kill('SIGKILL');
        throw new Error(`unexpected first line from the sync server: ${firstLine}`);
    }
    const url = match[1];
    // Keep draining stdout so the server never blocks on a full pipe.
    proc.stdout.resume();
    return {
        url,
        async setFaults(faults) {
            const response = await fetch(`${url}/admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
            if (!response.ok) {
                throw new Error(`POST /admin/faults ${response.status}: ${await response.text()}`);
            }
        },
        async putEntity(workspaceId, entityId, payload) {
            const response = await fetch(`${url}/admin/entities`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ workspaceId, entityId, payload }),
            });
            if (!response.ok) {
                throw new Error(`POST /admin/entities ${response.status}: ${await response.text()}`);
            }
            return (await response.json()) as ServerEntity;
        },
        async entity(workspaceId, entityId) {
            const response = await fetch(`${url}/admin/entities/${encodeURIComponent(workspaceId)}/${entityId.split('/').map(encodeURIComponent).join('/')}`);
            if (response.status === 404) {
                return undefined;
            }
            if (!response.ok) {
                throw new Error(`GET /admin/entities ${response.status}: ${await response.text()}`);
            }
            return (await response.json()) as ServerEntity;
        },
        async stats() {
            const response = await fetch(`${url}/admin/stats`);
            return (await response.json()) as { applied: number; requests: number; rejected: number };
        },
        async stop() {
            if (proc.exitCode !== null || proc.signalCode !== null) {
                return;
            }
            const exited = new Promise((r) => proc.once('exit', r));
            proc.kill('SIGTERM');
            await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
            if (proc.exitCode === null && proc.signalCode === null) {
                proc.kill('SIGKILL');
            }
        },
    };
}

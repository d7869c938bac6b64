/** One conformance run against one server: what the CLI and the suite's own tests call. */
import { AdminApi } from './admin';
import { CheckContext, idSource, newRunId, Outcome, runChecks, Skip } from './check';
import { expectJson, Health, SyncClient } from './http';
import { allChecks } from './index';

export interface ConformanceOptions {
    server: string;
    token?: string;
    token2?: string;
    /** Admin URLs (every replica's); empty: probe the server's own /admin, unless `noAdmin`. */
    admin: string[];
    noAdmin?: boolean;
    /** Substrings of check ids to run; empty: all. */
    only: string[];
}

export async function runConformance(options: ConformanceOptions, report: (outcome: Outcome) => void = () => undefined): Promise<Outcome[]> {
    const server = options.server.replace(/\/+$/, '');
    const client = new SyncClient(server, options.token);
    const health = expectJson<Health>(await client.request('GET', '/sync/health', { token: null }), 200, `GET ${server}/sync/health`);
    let admin: AdminApi | undefined;
    let adminMissing = 'not asked for (--no-admin)';
    if (options.admin.length > 0) {
        admin = new AdminApi(options.admin.map((url) => url.replace(/\/+$/, '')));
    } else if (!options.noAdmin) {
        const probed = await AdminApi.probe(server);
        if (probed instanceof AdminApi) {
            admin = probed;
        } else {
            adminMissing = `${probed}; pass --admin URL (each replica's) to run it`;
        }
    }
    const context: CheckContext = {
        client,
        other: options.token2 === undefined ? undefined : new SyncClient(server, options.token2),
        requiresToken: options.token !== undefined,
        needAdmin(purpose: string): AdminApi {
            if (!admin) {
                throw new Skip(`${purpose} needs the reference server's admin API: ${adminMissing}`);
            }
            return admin;
        },
        health,
        ...idSource(newRunId()),
    };
    const checks = options.only.length === 0 ? allChecks : allChecks.filter((c) => options.only.some((part) => c.id.includes(part)));
    return runChecks(checks, context, report);
}

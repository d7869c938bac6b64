/** How tests run the sidecar: the published dist/sidecar binary, else the Debug build's dll via `dotnet`. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot, sidecarBinary } from './paths';

const debugDll = path.join(repoRoot, 'server/OfflineSidecar.Host/bin/Debug/net10.0/offline-sidecar.dll');

export function sidecarCommand(): { command: string; args: string[] } {
    if (existsSync(sidecarBinary)) {
        return { command: sidecarBinary, args: [] };
    }
    if (existsSync(debugDll)) {
        return { command: 'dotnet', args: [debugDll] };
    }
    throw new Error(
        `No sidecar build: neither ${path.relative(repoRoot, sidecarBinary)} nor ${path.relative(repoRoot, debugDll)} exists. ` +
            'Run `npm run build` first (CI builds before testing).',
    );
}

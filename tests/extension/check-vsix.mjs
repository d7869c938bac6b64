#!/usr/bin/env node
// Checks a packaged VSIX (run by scripts/package.sh): the manifest contributes what the extension needs,
// and the bundled sidecar is there, executable, and answers --version once extracted.
// Usage: node tests/extension/check-vsix.mjs dist/offline-sidecar-linux-x64.vsix linux-x64
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [vsix, target] = process.argv.slice(2);
if (!vsix || !target) {
  console.error('usage: check-vsix.mjs <file.vsix> <platform-arch>');
  process.exit(2);
}

const failures = [];
const check = (ok, message) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
  if (!ok) failures.push(message);
};

// `unzip -Z -l` lists entries with their unix mode, e.g. "-rwxr-xr-x  2.0 unx  123 b- defN ... extension/server/linux-x64/offline-sidecar".
const listing = execFileSync('unzip', ['-Z', '-l', vsix], { encoding: 'utf8', maxBuffer: 64 << 20 });
const entries = new Map();
for (const line of listing.split('\n')) {
  const m = /^([-dlrwxsStT]{10})\s.*\s(\S+)$/.exec(line);
  if (m) entries.set(m[2], m[1]);
}
const read = (name) => execFileSync('unzip', ['-p', vsix, name], { encoding: 'utf8', maxBuffer: 64 << 20 });

const manifest = JSON.parse(read('extension/package.json'));
const contributes = manifest.contributes ?? {};
check(manifest.main === './dist/extension.js', `main is ./dist/extension.js (${manifest.main})`);
check(entries.has('extension/dist/extension.js'), 'bundled extension present');
check((contributes.commands ?? []).length >= 15, `${(contributes.commands ?? []).length} commands contributed`);
check((contributes.commands ?? []).some((c) => c.command === 'offlineSync.enqueueSample'), 'offlineSync.enqueueSample contributed');
check(contributes.views?.offlineSync?.some((v) => v.id === 'offlineSync.queue'), 'view offlineSync.queue contributed');
check(contributes.viewsContainers?.activitybar?.some((c) => c.id === 'offlineSync'), 'activity-bar container offlineSync contributed');
check(Boolean(contributes.configuration?.properties?.['offlineSync.serverUrl']), 'setting offlineSync.serverUrl contributed');
check(!('scripts' in manifest) && !('devDependencies' in manifest), 'no dev-only fields in the published manifest');
const vsixManifest = read('extension.vsixmanifest');
check(vsixManifest.includes(`TargetPlatform="${target}"`), `vsixmanifest targets ${target}`);
check(!listing.includes('node_modules/') && !listing.includes('extension/src/') && !listing.includes('.map'), 'no sources, maps or node_modules');

const binary = `extension/server/${target}/offline-sidecar`;
const mode = entries.get(binary);
check(mode !== undefined, `${binary} present`);
check(mode !== undefined && mode[3] === 'x', `${binary} executable in the archive (${mode})`);

const dir = mkdtempSync(path.join(tmpdir(), 'vsix-check-'));
try {
  execFileSync('unzip', ['-q', vsix, `extension/server/${target}/*`, '-d', dir]);
  const extracted = path.join(dir, binary);
  check((statSync(extracted).mode & 0o111) !== 0, 'sidecar executable after extraction');
  let version = '';
  try {
    version = execFileSync(extracted, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
  } catch (error) {
    version = `error: ${error.message}`;
  }
  check(/\d+\.\d+\.\d+/.test(version), `extracted sidecar runs: --version → ${version}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`VSIX check failed: ${failures.length} problem(s)`);
  process.exit(1);
}
console.log('VSIX check passed');

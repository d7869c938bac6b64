#!/usr/bin/env node
// Checks packaged VSIXes (run by scripts/package.sh after each one, or on its own over every VSIX in dist/):
// the manifest is the marketplace one (target platform, extension kind, capabilities, icon, banner, links), the
// archive holds only what the extension needs at run time, the bundled sidecar and its native SQLite library are
// binaries of that platform's format and CPU (read from their headers), and the VSIX is at most 10 MB.
// A sidecar for this machine's platform must also answer --version once extracted.
// Usage:
//   node tests/extension/check-vsix.mjs dist/offline-sidecar-linux-x64.vsix [linux-x64] [--stage DIR]
//   node tests/extension/check-vsix.mjs --all [DIR]      every offline-sidecar-<target>.vsix in DIR (default dist)
// --stage DIR also compares the archive with what `vsce ls` lists for the staged folder it was packaged from.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MaxVsixBytes = 10_000_000;

/** Per VS Code target: the sidecar's file name, its binary format and CPU, and the native SQLite library. */
const Targets = {
    'linux-x64': { exe: 'offline-sidecar', format: 'elf', cpu: 'x86-64', sqlite: 'libe_sqlite3.so', file: /ELF 64-bit LSB .*x86-64/ },
    'linux-arm64': { exe: 'offline-sidecar', format: 'elf', cpu: 'aarch64', sqlite: 'libe_sqlite3.so', file: /ELF 64-bit LSB .*aarch64/ },
    'win32-x64': { exe: 'offline-sidecar.exe', format: 'pe32+', cpu: 'x86-64', sqlite: 'e_sqlite3.dll', file: /PE32\+ executable.*x86-64/ },
    'darwin-arm64': { exe: 'offline-sidecar', format: 'mach-o', cpu: 'arm64', sqlite: 'libe_sqlite3.dylib', file: /Mach-O 64-bit .*arm64/ },
    'darwin-x64': { exe: 'offline-sidecar', format: 'mach-o', cpu: 'x86_64', sqlite: 'libe_sqlite3.dylib', file: /Mach-O 64-bit .*x86_64/ },
};

/** Files the sidecar never loads (a debugger, a crash dump, a custom GC, compression streams); scripts/package.sh leaves them out. */
const NotShipped = /(^|\/)(createdump(\.exe)?|(lib)?mscordaccore[^/]*|(lib)?mscordbi\.(so|dll|dylib)|(lib)?clrgc(exp)?\.(so|dll|dylib)|libcoreclrtraceptprovider\.so|Microsoft\.DiaSymReader\.Native\.[^/]*|(lib)?System\.IO\.Compression\.Native\.(so|dll|dylib)|[^/]*\.pdb|[^/]*\.dbg|[^/]*\.dSYM(\/.*)?)$/;

/** The platform and CPU a binary is for, from its header (what `file` prints, without needing `file`). */
function binaryKind(file) {
    const fd = openSync(file, 'r');
    try {
        const head = Buffer.alloc(65536);
        const n = readSync(fd, head, 0, head.length, 0);
        if (n >= 20 && head.readUInt32BE(0) === 0x7f454c46) {
            const bits = head[4] === 2 ? 64 : 32;
            const machine = head.readUInt16LE(18);
            return { format: 'elf', bits, cpu: { 0x3e: 'x86-64', 0xb7: 'aarch64' }[machine] ?? `machine 0x${machine.toString(16)}` };
        }
        if (n >= 32 && head.readUInt32LE(0) === 0xfeedfacf) {
            const cpu = head.readUInt32LE(4);
            // Load commands follow the 32-byte header; LC_CODE_SIGNATURE (0x1d) is the signature macOS requires of
            // arm64 code (an unsigned binary is killed on Apple silicon; x86_64 code may be unsigned). The SDK signs
            // the apphost ad hoc.
            const count = head.readUInt32LE(16);
            let signed = false;
            for (let i = 0, at = 32; i < count && at + 8 <= n; i++) {
                signed ||= head.readUInt32LE(at) === 0x1d;
                at += head.readUInt32LE(at + 4);
            }
            return { format: 'mach-o', bits: 64, cpu: { 0x01000007: 'x86_64', 0x0100000c: 'arm64' }[cpu] ?? `cputype 0x${cpu.toString(16)}`, signed };
        }
        if (n >= 0x40 && head.toString('latin1', 0, 2) === 'MZ') {
            const pe = head.readUInt32LE(0x3c);
            if (pe + 26 <= n && head.readUInt32BE(pe) === 0x50450000) {
                const machine = head.readUInt16LE(pe + 4);
                const magic = head.readUInt16LE(pe + 24);
                return {
                    format: magic === 0x20b ? 'pe32+' : 'pe32',
                    bits: magic === 0x20b ? 64 : 32,
                    cpu: { 0x8664: 'x86-64', 0xaa64: 'arm64' }[machine] ?? `machine 0x${machine.toString(16)}`,
                };
            }
        }
        return { format: 'unknown', bits: 0, cpu: 'unknown' };
    } finally {
        closeSync(fd);
    }
}

function describeWithFile(file) {
    try {
        return execFileSync('file', ['-b', file], { encoding: 'utf8' }).trim();
    } catch {
        return undefined; // `file` is not installed: the header check above is the check.
    }
}

function checkVsix(vsix, target, stage, check) {
    const spec = Targets[target];
    check(spec !== undefined, `${target} is a target we package (${Object.keys(Targets).join(', ')})`);
    if (!spec) {
        return;
    }
    const size = statSync(vsix).size;
    check(size <= MaxVsixBytes, `VSIX is ${(size / 1e6).toFixed(2)} MB (at most ${MaxVsixBytes / 1e6} MB)`);

    // `unzip -Z -l` lists entries with their unix mode, e.g. "-rwxr-xr-x  2.0 unx  123 b- defN ... extension/server/linux-x64/offline-sidecar".
    const listing = execFileSync('unzip', ['-Z', '-l', vsix], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const entries = new Map();
    for (const line of listing.split('\n')) {
        const m = /^([-dlrwxsStT]{10})\s.*\s(\S+)$/.exec(line);
        if (m && !m[2].endsWith('/')) entries.set(m[2], m[1]);
    }
    const read = (name) => execFileSync('unzip', ['-p', vsix, name], { encoding: 'utf8', maxBuffer: 64 << 20 });
    // vsce stores README.md and CHANGELOG.md as readme.md and changelog.md.
    const entryNamed = (name) => [...entries.keys()].find((e) => e.toLowerCase() === name.toLowerCase());

    const manifest = JSON.parse(read('extension/package.json'));
    const contributes = manifest.contributes ?? {};
    check(manifest.main === './dist/extension.js', `main is ./dist/extension.js (${manifest.main})`);
    check(entries.has('extension/dist/extension.js'), 'bundled extension present');
    check((contributes.commands ?? []).length >= 15, `${(contributes.commands ?? []).length} commands contributed`);
    check((contributes.commands ?? []).some((c) => c.command === 'offlineSync.enqueueSample'), 'offlineSync.enqueueSample contributed');
    check(contributes.views?.offlineSync?.some((v) => v.id === 'offlineSync.queue'), 'view offlineSync.queue contributed');
    check(contributes.viewsContainers?.activitybar?.some((c) => c.id === 'offlineSync'), 'activity-bar container offlineSync contributed');
    check(Boolean(contributes.configuration?.properties?.['offlineSync.serverUrl']), 'setting offlineSync.serverUrl contributed');
    check(!('scripts' in manifest) && !('devDependencies' in manifest) && !('private' in manifest), 'no dev-only fields in the published manifest');

    // The listing: what the marketplace and the Extensions view show.
    check(JSON.stringify(manifest.extensionKind) === '["workspace"]', `extensionKind ${JSON.stringify(manifest.extensionKind)}`);
    check(Boolean(manifest.capabilities?.untrustedWorkspaces?.supported) && Boolean(manifest.capabilities?.virtualWorkspaces?.supported),
        'capabilities declare untrusted and virtual workspace support');
    check(typeof manifest.icon === 'string' && entries.has(`extension/${manifest.icon}`), `icon ${manifest.icon} in the archive`);
    if (typeof manifest.icon === 'string' && entries.has(`extension/${manifest.icon}`)) {
        const png = execFileSync('unzip', ['-p', vsix, `extension/${manifest.icon}`], { maxBuffer: 8 << 20 });
        const isPng = png.subarray(1, 4).toString('latin1') === 'PNG';
        const [w, h] = isPng ? [png.readUInt32BE(16), png.readUInt32BE(20)] : [0, 0];
        check(isPng && w >= 128 && w === h, `icon is a square PNG of at least 128 px (${w}x${h})`);
    }
    check(/^#[0-9a-f]{6}$/i.test(manifest.galleryBanner?.color ?? '') && ['dark', 'light'].includes(manifest.galleryBanner?.theme), 'gallery banner colour and theme');
    check(/^https:\/\//.test(manifest.repository?.url ?? '') && /^https:\/\//.test(manifest.bugs?.url ?? ''), 'repository and bugs links');
    check(manifest.license === 'MIT' && [...entries.keys()].some((e) => /^extension\/LICENSE(\.txt)?$/i.test(e)), 'license MIT, LICENSE in the archive');
    check((manifest.categories ?? []).length > 0 && (manifest.keywords ?? []).length >= 5, 'categories and keywords');
    check(/^\^\d+\.\d+\.\d+$/.test(manifest.engines?.vscode ?? ''), `engines.vscode ${manifest.engines?.vscode}`);
    check(entryNamed('extension/CHANGELOG.md') !== undefined, 'CHANGELOG.md in the archive');
    const readmeEntry = entryNamed('extension/README.md');
    const readme = readmeEntry ? read(readmeEntry) : '';
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    check(images.length >= 3 && images.every((src) => src.startsWith(`${manifest.repository?.url?.replace(/\.git$/, '')}/raw/`)),
        `README has ${images.length} screenshots, linked into the repository`);
    const rawPrefix = /^https:\/\/github\.com\/[^/]+\/[^/]+\/raw\/HEAD\//;
    const missingImages = images.filter((src) => !rawPrefix.test(src) || !existsSync(path.join(repoRoot, src.replace(rawPrefix, ''))));
    check(missingImages.length === 0, `every screenshot is in the repository at the linked path${missingImages.length ? `: ${missingImages.join(', ')}` : ''}`);

    const vsixManifest = read('extension.vsixmanifest');
    check(vsixManifest.includes(`TargetPlatform="${target}"`), `vsixmanifest targets ${target}`);

    // Only what runs: the bundle, the media, the manifest's documents and this platform's sidecar.
    const server = `extension/server/${target}/`;
    const allowed = (name) => name === 'extension.vsixmanifest' || name === '[Content_Types].xml'
        || /^extension\/(package\.json|README\.md|CHANGELOG\.md|LICENSE(\.txt)?|dist\/extension\.js)$/i.test(name)
        || /^extension\/media\/[^/]+\.(png|svg)$/.test(name)
        || (name.startsWith(server) && !NotShipped.test(name));
    const unexpected = [...entries.keys()].filter((name) => !allowed(name));
    check(unexpected.length === 0, `nothing but run-time files${unexpected.length ? `: ${unexpected.slice(0, 8).join(', ')}` : ''}`);
    check(![...entries.keys()].some((e) => /(^|\/)(node_modules|src|tests?)\/|\.(map|ts|pdb)$/.test(e)), 'no sources, tests, maps, symbols or node_modules');

    if (stage) {
        // `vsce ls` is what vsce would put in the package from the staged folder: the archive must be exactly that.
        const vsce = path.join(repoRoot, 'node_modules/.bin/vsce');
        const listed = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: stage, encoding: 'utf8', maxBuffer: 16 << 20 })
            .split('\n').map((l) => l.trim()).filter(Boolean);
        const asListed = (f) => f.replace(/^LICENSE\.txt$/, 'LICENSE').replace(/^readme\.md$/, 'README.md').replace(/^changelog\.md$/, 'CHANGELOG.md');
        const inArchive = new Set([...entries.keys()].filter((e) => e.startsWith('extension/')).map((e) => asListed(e.slice('extension/'.length))));
        const missing = listed.filter((f) => !inArchive.has(f));
        const extra = [...inArchive].filter((f) => !listed.includes(f));
        check(missing.length === 0 && extra.length === 0,
            `vsce ls lists the ${listed.length} files of the archive${missing.length || extra.length ? ` (missing ${missing.join(', ')}; extra ${extra.join(', ')})` : ''}`);
        check(listed.every((f) => allowed(`extension/${f}`) || f === 'LICENSE'), 'every file vsce ls lists is a run-time file');
    }

    const binary = `${server}${spec.exe}`;
    const mode = entries.get(binary);
    check(mode !== undefined, `${binary} present`);
    if (spec.format !== 'pe32+') {
        check(mode !== undefined && mode[3] === 'x', `${binary} executable in the archive (${mode})`);
    }
    const sqlite = [...entries.keys()].filter((e) => e.startsWith(server) && path.posix.basename(e) === spec.sqlite);
    check(sqlite.length === 1, `native SQLite library ${spec.sqlite} present`);
    const otherSqlite = [...entries.keys()].filter((e) => /(^|\/)(lib)?e_sqlite3\.(so|dll|dylib)$/.test(e) && path.posix.basename(e) !== spec.sqlite);
    check(otherSqlite.length === 0, `no other platform's SQLite library${otherSqlite.length ? `: ${otherSqlite.join(', ')}` : ''}`);

    const dir = mkdtempSync(path.join(tmpdir(), 'vsix-check-'));
    try {
        execFileSync('unzip', ['-q', vsix, `${server}*`, '-d', dir]);
        for (const [name, what] of [[binary, 'sidecar'], ...sqlite.map((s) => [s, 'SQLite library'])]) {
            const extracted = path.join(dir, name);
            if (!existsSync(extracted)) continue;
            const kind = binaryKind(extracted);
            const described = describeWithFile(extracted);
            check(kind.format === spec.format && kind.bits === 64 && kind.cpu === spec.cpu,
                `${what} is ${spec.format} ${spec.cpu} (${kind.format} ${kind.bits}-bit ${kind.cpu}${described ? `; file: ${described}` : ''})`);
            if (described) check(spec.file.test(described), `file(1) agrees: ${spec.file}`);
            if (spec.format === 'mach-o' && spec.cpu === 'arm64') check(kind.signed === true, `${what} carries a code signature (LC_CODE_SIGNATURE)`);
        }
        const extracted = path.join(dir, binary);
        if (existsSync(extracted) && target === `${process.platform}-${process.arch}`) {
            if (spec.format !== 'pe32+') check((statSync(extracted).mode & 0o111) !== 0, 'sidecar executable after extraction');
            let version = '';
            try {
                version = execFileSync(extracted, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
            } catch (error) {
                version = `error: ${error.message}`;
            }
            check(/\d+\.\d+\.\d+/.test(version), `extracted sidecar runs: --version → ${version}`);
        } else {
            console.log(`     (not run: a ${target} binary does not run on ${process.platform}-${process.arch})`);
        }
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

function main(argv) {
    const usage = 'usage: check-vsix.mjs <file.vsix> [<platform-arch>] [--stage DIR] | --all [DIR]';
    const jobs = [];
    if (argv[0] === '--all') {
        const dir = path.resolve(argv[1] ?? path.join(repoRoot, 'dist'));
        for (const name of readdirSync(dir).sort()) {
            const m = /^offline-sidecar-(.+)\.vsix$/.exec(name);
            if (m) jobs.push({ vsix: path.join(dir, name), target: m[1] });
        }
        if (jobs.length === 0) {
            console.error(`no offline-sidecar-<target>.vsix in ${dir} (npm run package -- --all)`);
            return 1;
        }
    } else {
        const stageAt = argv.indexOf('--stage');
        const stage = stageAt >= 0 ? argv[stageAt + 1] : undefined;
        const positional = argv.filter((_, i) => stageAt < 0 || (i !== stageAt && i !== stageAt + 1));
        const [vsix, explicitTarget] = positional;
        const target = explicitTarget ?? /offline-sidecar-(.+)\.vsix$/.exec(vsix ?? '')?.[1];
        if (!vsix || !target || (stageAt >= 0 && !stage)) {
            console.error(usage);
            return 2;
        }
        jobs.push({ vsix, target, stage });
    }

    let failed = 0;
    for (const job of jobs) {
        console.log(`== ${path.basename(job.vsix)} (${job.target})`);
        const failures = [];
        checkVsix(job.vsix, job.target, job.stage, (ok, message) => {
            console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
            if (!ok) failures.push(message);
        });
        if (failures.length > 0) {
            console.error(`VSIX check failed for ${path.basename(job.vsix)}: ${failures.length} problem(s)`);
            failed++;
        }
    }
    if (failed > 0) return 1;
    console.log(`VSIX check passed (${jobs.length} VSIX${jobs.length > 1 ? 'es' : ''})`);
    return 0;
}

process.exitCode = main(process.argv.slice(2));

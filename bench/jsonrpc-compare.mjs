#!/usr/bin/env node
// StreamJsonRpc 2.26 (HeaderDelimitedMessageHandler + SystemTextJsonFormatter) against OfflineSidecar.JsonRpc, the
// JSON-RPC layer alone: bench/RpcEcho serves the same two methods over stdio with either, and this script drives
// both with vscode-jsonrpc (the extension's client), interleaved in one run so a loaded machine weighs on both alike.
//   node bench/jsonrpc-compare.mjs [--calls N] [--rounds R] [--aot] [--no-build]
// --aot also publishes bench/RpcEcho with PublishAot=true (warnings reported, not fatal) and measures that build too.
// Prints markdown tables and writes test-results/bench/jsonrpc-compare.md. A measurement, not a test: nothing fails.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const calls = option('--calls', 20000);
const rounds = option('--rounds', 3);
const warmup = 2000;
const callerCounts = [1, 8];
const lines = [];
const say = (line = '') => {
  console.log(line);
  lines.push(line);
};

const project = join(repo, 'bench/RpcEcho/OfflineSidecar.Bench.RpcEcho.csproj');
const jitDir = join(repo, 'bench/RpcEcho/bin/run');
const aotDir = join(process.env.BENCH_TMP || tmpdir(), 'offline-bench-rpcecho-aot');

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: repo, encoding: 'utf8', env: { ...process.env, DOTNET_NOLOGO: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
  return { ok: result.status === 0, output: `${result.stdout}\n${result.stderr}` };
}

// ---- what to measure -------------------------------------------------------------------------------------------

const builds = [];
if (!args.includes('--no-build')) {
  console.error('== dotnet build bench/RpcEcho (Release)');
  const built = run('dotnet', ['build', project, '-c', 'Release', '-nologo', '-v', 'quiet', '-o', jitDir]);
  if (!built.ok) {
    console.error(built.output);
    process.exit(1);
  }
}
builds.push({ name: 'JIT', exe: join(jitDir, 'OfflineSidecar.Bench.RpcEcho') });

let aotReport = null;
if (args.includes('--aot')) {
  console.error('== dotnet publish bench/RpcEcho -p:PublishAot=true (warnings allowed, to see them all)');
  const published = run('dotnet', ['publish', project, '-c', 'Release', '-r', 'linux-x64', '-nologo', '-p:PublishAot=true', '-p:TreatWarningsAsErrors=false', '-o', aotDir]);
  const warnings = [...new Set(published.output.split('\n').filter((l) => /warning (IL|AOT)|analysis warning/.test(l))
    .map((l) => l.replace(/\s*\[\/.*$/, '').replace(/^.*?warning /, '').replace(/^(IL\d+): \S+\(\): /, '$1: ')))];
  aotReport = { ok: published.ok, warnings };
  if (published.ok) {
    builds.push({ name: 'NativeAOT', exe: join(aotDir, 'OfflineSidecar.Bench.RpcEcho') });
  } else {
    console.error(published.output);
  }
}

const servers = ['ours', 'streamjsonrpc'];

function start(exe, server) {
  const child = spawn(exe, [server], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return { child, stderr: () => stderr };
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin.end();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

// ---- throughput: C callers on one connection, each awaiting its answer before the next send --------------------

let index = 0;
const enqueueParams = () => {
  index++;
  return {
    type: 'document.put.v1',
    entityId: `doc-${index % 1000}`,
    payload: { title: `Document ${index}`, body: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua enim.', revision: index % 97, tags: ['bench', 'offline'] },
  };
};

async function drive(connection, count, callers) {
  const samples = new Float64Array(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: callers }, async () => {
    for (let i = next++; i < count; i = next++) {
      const sent = performance.now();
      const result = await connection.sendRequest('bench/enqueue', enqueueParams());
      if (typeof result?.id !== 'string') throw new Error(`unexpected answer ${JSON.stringify(result)}`);
      samples[i] = performance.now() - sent;
    }
  }));
  const elapsed = performance.now() - started;
  samples.sort();
  const rank = (p) => samples[Math.min(count - 1, Math.ceil((p / 100) * count) - 1)];
  return { rps: count / (elapsed / 1000), p50: rank(50), p99: rank(99) };
}

async function throughput(exe, server, callers) {
  const { child, stderr } = start(exe, server);
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  try {
    await drive(connection, warmup, callers);
    return { ...(await drive(connection, calls, callers)), load: loadavg()[0] };
  } catch (error) {
    throw new Error(`${server}: ${error.message}\n${stderr()}`);
  } finally {
    connection.dispose();
    await stop(child);
  }
}

// ---- behaviour probes: raw frames, so what goes on the wire is exactly what is described -----------------------

function rawSession(exe, server) {
  const { child, stderr } = start(exe, server);
  let buffer = Buffer.alloc(0);
  const frames = [];
  const waiters = [];
  child.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: *(\d+)/i.exec(buffer.subarray(0, end).toString())?.[1]);
      if (buffer.length < end + 4 + length) return;
      const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString('utf8'));
      buffer = buffer.subarray(end + 4 + length);
      frames.push({ message, at: performance.now() });
      for (const waiter of [...waiters]) waiter();
    }
  });
  const send = (body) => {
    const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
    child.stdin.write(`Content-Length: ${bytes.length}\r\n\r\n`);
    child.stdin.write(bytes);
  };
  // Resolves with the first frame matching `match`, or null after `ms`.
  const waitFor = (match, ms) => new Promise((resolve) => {
    const check = () => {
      const found = frames.find((f) => match(f.message));
      if (found) {
        clearTimeout(timer);
        waiters.splice(waiters.indexOf(check), 1);
        resolve(found);
      }
    };
    const timer = setTimeout(() => {
      waiters.splice(waiters.indexOf(check), 1);
      resolve(null);
    }, ms);
    waiters.push(check);
    check();
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return { child, send, waitFor, frames, alive, stderr };
}

const describe = (frame) => (frame === null ? 'no answer' : frame.message.error
  ? `${frame.message.error.code} "${String(frame.message.error.message).replace(/\s+/g, ' ').slice(0, 150)}"` : 'result');

async function probes(exe, server) {
  const found = {};
  // 1. A frame whose body is not JSON, then a valid request on the same connection.
  const first = rawSession(exe, server);
  try {
    first.send('this is { not json');
    const parse = await first.waitFor((m) => m.id === null || m.id === undefined, 2000);
    first.send({ jsonrpc: '2.0', id: 1, method: 'bench/enqueue', params: enqueueParams() });
    const after = await first.waitFor((m) => m.id === 1, 3000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    found.nonJson = `${parse ? `answers ${describe(parse)}` : 'no answer to the frame'}; ` +
      `${after ? 'the next request is answered' : first.alive() ? 'the next request gets no answer' : 'the connection closes and the server process exits'}`;
  } finally {
    await stop(first.child);
  }

  // The rest on a fresh connection (a server that closed on the frame above is probed too).
  const s = rawSession(exe, server);
  try {
    // 2. Params missing a required member, and a member of the wrong type.
    s.send({ jsonrpc: '2.0', id: 2, method: 'bench/enqueue', params: { payload: {} } });
    found.missing = describe(await s.waitFor((m) => m.id === 2, 3000));
    s.send({ jsonrpc: '2.0', id: 3, method: 'bench/enqueue', params: { type: 5, payload: {} } });
    found.wrongType = describe(await s.waitFor((m) => m.id === 3, 3000));

    // 3. $/cancelRequest for a running request (it would otherwise run 30 s).
    s.send({ jsonrpc: '2.0', id: 4, method: 'bench/wait', params: { milliseconds: 30000 } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cancelled = performance.now();
    s.send({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 4 } });
    const answer = await s.waitFor((m) => m.id === 4, 5000);
    found.cancel = answer ? `${describe(answer)} after ${(answer.at - cancelled).toFixed(1)} ms` : 'no answer within 5 s';

    // 4. Unknown method.
    s.send({ jsonrpc: '2.0', id: 5, method: 'bench/nothing', params: {} });
    found.unknown = describe(await s.waitFor((m) => m.id === 5, 3000));
    if (!s.alive()) found.unknown += ' (server process exited)';
    return found;
  } finally {
    await stop(s.child);
  }
}

// ---- the run ----------------------------------------------------------------------------------------------------

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (v, digits) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

say(`# JSON-RPC layer: OfflineSidecar.JsonRpc vs StreamJsonRpc 2.26.150`);
say();
say(`${new Date().toISOString()}, ${cpus().length} cores (shared with other work), load at start ${loadavg()[0].toFixed(2)}; ` +
  `${calls} calls per run after ${warmup} warm-up calls, ${rounds} rounds, servers alternated within each round (first one swapped each round); ` +
  'client vscode-jsonrpc over the server\'s stdio; method bench/enqueue (enqueue-shaped params, ~200-byte payload, small result).');
for (const build of builds) {
  const results = new Map();
  for (let round = 0; round < rounds; round++) {
    for (const callers of callerCounts) {
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      for (const server of order) {
        const r = await throughput(build.exe, server, callers);
        console.error(`  ${build.name} round ${round + 1} ${server} ${callers} caller(s): ${fmt(r.rps, 0)} req/s p50 ${r.p50.toFixed(3)} p99 ${r.p99.toFixed(3)} ms (load ${r.load.toFixed(2)})`);
        const key = `${server}:${callers}`;
        results.set(key, [...(results.get(key) ?? []), r]);
      }
    }
  }
  say();
  say(`## Throughput, ${build.name} build (median of ${rounds} rounds; range of req/s in brackets)`);
  say();
  say('| server | callers | requests/s | p50 ms | p99 ms | load (1 min) |');
  say('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const callers of callerCounts) {
    for (const server of servers) {
      const rs = results.get(`${server}:${callers}`);
      const rps = rs.map((r) => r.rps);
      say(`| ${server === 'ours' ? 'OfflineSidecar.JsonRpc' : 'StreamJsonRpc'} | ${callers} | ${fmt(median(rps), 0)} [${fmt(Math.min(...rps), 0)}–${fmt(Math.max(...rps), 0)}] | ` +
        `${median(rs.map((r) => r.p50)).toFixed(3)} | ${median(rs.map((r) => r.p99)).toFixed(3)} | ${median(rs.map((r) => r.load)).toFixed(2)} |`);
    }
  }
  say();
  say(`## Behaviour, ${build.name} build`);
  say();
  say('| probe | OfflineSidecar.JsonRpc | StreamJsonRpc |');
  say('| --- | --- | --- |');
  const ours = await probes(build.exe, 'ours');
  const theirs = await probes(build.exe, 'streamjsonrpc');
  const cell = (v) => String(v ?? '').replaceAll('|', '\\|');
  for (const [key, label] of [['nonJson', 'frame body not JSON, then a valid request'], ['missing', 'params without required `type`'],
    ['wrongType', '`type` is a number'], ['cancel', '`$/cancelRequest` of a running request'], ['unknown', 'unknown method']]) {
    say(`| ${label} | ${cell(ours[key])} | ${cell(theirs[key])} |`);
  }
}

if (aotReport) {
  say();
  say(`## NativeAOT publish (PublishAot=true): ${aotReport.ok ? 'published' : 'FAILED'}, ${aotReport.warnings.length} distinct warning(s)`);
  say();
  for (const warning of aotReport.warnings) say(`- ${warning}`);
}

const out = join(repo, 'test-results/bench');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'jsonrpc-compare.md'), `${lines.join('\n')}\n`);

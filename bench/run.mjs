#!/usr/bin/env node
// The fan-out benchmark (issue 6): two ceilings over raw ws (naive: one ws.send per member; batched: the frame built
// once, one corked write per connection per turn), plain socket.io, and tiny-chat (memory, then Redis when REDIS_URL
// is set or redis-server is installed: then the bench starts its own), each tiny-chat twice: as configured and with
// FAST_PATHS=off. One after another, same loopback, same load generator, server on core 0, generator on core 1.
//   node bench/run.mjs           full run: table on stdout + bench/results/latest.json
//   node bench/run.mjs --cluster three instances on a 3-master Redis Cluster (bench/cluster.mjs)
//   node bench/run.mjs --quick   a few seconds per server and shape; asserts only zero loss and order;
//                                writes dist/test-results/bench.json (Jest shape) and ends with "N passed, N failed"
// Options: --only=raw-ws,raw-ws-batched,socketio,tiny-chat,tiny-chat-fast-paths-off,tiny-chat-redis,
//            tiny-chat-redis-fast-paths-off  --shapes=100x10,1x500  --seconds=5  --rounds=3  --no-memory
//          --fixed-load=50000  (deliveries/s offered for the latency step)  --latency-seconds=15  (its measured window)
//          --cpu-prof=<dir>  (servers write a .cpuprofile there; read it with bench/tools/hot-spots.mjs)
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Load, percentiles } from './lib/load.mjs';
import { canPin, loadAverage, machineInfo, openFileLimits, pinSelf, rssBytes } from './lib/proc.mjs';
import { redisStats } from './lib/redis-probe.mjs';
import { provideRedis } from './lib/redis-server.mjs';
import { memoryTable, ratios, ratioTable, targetLines, throughputTable } from './lib/report.mjs';
import { apiIsBuilt, apiNodeFlags, GENERATOR_CORE, SERVER_CORE, startServer, targets } from './lib/servers.mjs';
import { TEXT_BYTES } from './lib/wire.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = argv.includes('--quick');
const only = option('only')?.split(',');
const seconds = Number(option('seconds') ?? 5);
/**
 * The latency step's window is longer than the saturation step's: a server's p99 at 50k is set by the episodes that
 * follow its full (mark-compact) collections, one every few seconds, and a 5 s window caught one or none by chance.
 */
const latencySeconds = Number(option('latency-seconds') ?? 15);
const ROUNDS = quick ? 1 : Number(option('rounds') ?? 3);
const profileDir = option('cpu-prof') ? resolve(option('cpu-prof')) : undefined;

/** Shapes of issue 6; `window` = messages a room keeps in flight when saturating. */
const SHAPES = [
  { key: '100x10', rooms: 100, members: 10, window: 4 },
  { key: '1x500', rooms: 1, members: 500, window: 16 },
].filter((shape) => !option('shapes') || option('shapes').split(',').includes(shape.key));
const FIXED_LOAD = Number(option('fixed-load') ?? 50_000);
const MEMORY_SHAPE = { rooms: 100, members: 100 };
const TIMING = quick
  ? { warmupMs: 300, measureMs: 1500 }
  : { warmupMs: 2000, measureMs: seconds * 1000, latencyWarmupMs: 1000, latencyMs: latencySeconds * 1000 };
/**
 * The whole run stops by itself after this, killing its servers: per server and shape in a quick run (about 10 s each
 * on a quiet machine), per server in a full one (rounds, latency step and memory step: about 3 minutes each).
 */
const watchdogMs = (servers) => 30_000 + (quick ? 20_000 * SHAPES.length : 7.5 * 60_000) * servers;

function reexecWithMoreFiles() {
  // 10k members need 10k sockets here and 10k in the server: raise the soft limit when the hard one allows it.
  const needed = quick ? 2_000 : 2 * MEMORY_SHAPE.rooms * MEMORY_SHAPE.members;
  const { soft, hard } = openFileLimits();
  if (soft >= needed + 500 || process.env.BENCH_FILES_RAISED || hard < needed + 500) return false;
  const limit = Number.isFinite(hard) ? hard : needed + 1000;
  const result = spawnSync(
    'sh',
    ['-c', `ulimit -n ${limit} && exec "$0" "$@"`, process.execPath, ...process.argv.slice(1)],
    { stdio: 'inherit', env: { ...process.env, BENCH_FILES_RAISED: '1' } },
  );
  process.exit(result.status ?? 1);
}

function buildApiIfMissing() {
  if (apiIsBuilt(root)) return;
  console.log('dist/apps/api/main.js is missing: building the API (nx build api) ...');
  execFileSync('npx', ['nx', 'build', 'api', '--outputStyle=static'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' },
  });
}

/**
 * One server x shape over its rounds: other processes on the machine can only slow a round down, so the best
 * round counts for throughput (highest saturation throughput). Latency pools the windows of every round measured at
 * the highest offered load sustained into one distribution (3 x 15 s): a single window's p99 is set by whether it
 * held a full GC, so the best window's p99 favoured whichever server's p99 varied most (plain socket.io's ran from
 * 12 to 560 ms over nine windows). Loss and order must be clean in every round.
 * `samples` holds each round's sorted latencies (microseconds), by round number.
 */
function bestOf(rounds, samples) {
  const byThroughput = rounds
    .filter((r) => r.saturation)
    .sort((a, b) => b.saturation.deliveriesPerSec - a.saturation.deliveriesPerSec);
  const byLatency = rounds
    .filter((r) => r.latency)
    .sort(
      (a, b) =>
        Number(b.latency.sustained) - Number(a.latency.sustained) ||
        b.latency.offeredDeliveriesPerSec - a.latency.offeredDeliveriesPerSec ||
        a.latency.p99Ms - b.latency.p99Ms,
    );
  const sum = (field) => rounds.reduce((total, r) => total + (r.check?.[field] ?? 0), 0);
  return {
    rounds: rounds.length,
    saturation: byThroughput[0]?.saturation,
    saturationRound: byThroughput[0]?.round,
    latency: byLatency[0] && pooledLatency(byLatency[0].latency, rounds, samples),
    note: byLatency[0]?.note,
    check: {
      messages: sum('messages'),
      deliveries: sum('deliveries'),
      expectedDeliveries: sum('expectedDeliveries'),
      lost: sum('lost'),
      misordered: sum('misordered'),
      failures: sum('failures'),
      joinRetries: sum('joinRetries'),
    },
    passed: rounds.every((r) => r.passed),
    error: rounds.find((r) => r.error)?.error,
  };
}

/** The latency over every round's window at the same offered load (and as sustained) as `best`'s. */
function pooledLatency(best, rounds, samples) {
  const pooled = rounds.filter(
    (r) =>
      r.latency &&
      samples.has(r.round) &&
      r.latency.offeredDeliveriesPerSec === best.offeredDeliveriesPerSec &&
      r.latency.sustained === best.sustained,
  );
  const parts = pooled.map((r) => samples.get(r.round));
  const all = new Float32Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  const total = (pick) => pooled.reduce((sum, r) => sum + (pick(r.latency) ?? 0), 0);
  const withGc = pooled.filter((r) => r.latency.gc);
  return {
    ...best,
    ...percentiles(all.sort()),
    seconds: total((l) => l.seconds),
    achievedDeliveriesPerSec: total((l) => l.achievedDeliveriesPerSec) / pooled.length,
    serverCpuPercent: total((l) => l.serverCpuPercent) / pooled.length,
    ...(best.storeCpuPercent !== undefined ? { storeCpuPercent: total((l) => l.storeCpuPercent) / pooled.length } : {}),
    ...(withGc.length === pooled.length && withGc.length > 0
      ? {
          gc: {
            full: total((l) => l.gc.full),
            fullPauseMs: total((l) => l.gc.fullPauseMs),
            young: total((l) => l.gc.young),
            youngPauseMs: total((l) => l.gc.youngPauseMs),
          },
        }
      : {}),
    pooledRounds: pooled.map((r) => r.round),
    roundP99Ms: pooled.map((r) => r.latency.p99Ms),
  };
}

/** Which build of tiny-chat was measured: dist/apps/api/main.js changes whenever someone rebuilds it. */
function apiBuild() {
  const main = join(root, 'dist/apps/api/main.js');
  let gitHead = null;
  try {
    gitHead = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return {
    main: 'dist/apps/api/main.js',
    builtAt: statSync(main).mtime.toISOString(),
    sha256: createHash('sha256').update(readFileSync(main)).digest('hex').slice(0, 16),
    gitHead,
    nodeFlags: apiNodeFlags(root),
  };
}

/** One server x shape: fresh server, join, saturate, (fixed load), drain, check loss and order. */
async function runShape(target, shape, pin) {
  const name = `${target.key} ${shape.key}`;
  const figures = { rooms: shape.rooms, membersPerRoom: shape.members };
  const startedAt = performance.now();
  let latencySamples;
  let server;
  let load;
  try {
    server = await startServer(target, { pin, profileDir });
    const roomIds = await target.createRooms(server.baseUrl, shape.rooms);
    load = new Load({
      MemberClass: target.MemberClass,
      baseUrl: server.baseUrl,
      roomIds,
      membersPerRoom: shape.members,
    });
    const redisUrl = target.usesRedis ? (process.env.REDIS_URL ?? '') : undefined;
    const redisBefore = redisUrl === undefined ? null : await redisStats(redisUrl);
    if (redisUrl !== undefined && redisBefore === null) throw new Error(`no Redis answers at REDIS_URL=${redisUrl}`);
    await load.joinAll();
    const storeCpu =
      redisUrl === undefined ? undefined : async () => (await redisStats(redisUrl))?.cpuMicros ?? Number.NaN;
    figures.saturation = await load.saturate({ window: shape.window, ...TIMING, serverPid: server.pid, storeCpu });
    if (!quick) {
      // 50k/s unless the server saturated below it; when the first attempt is not sustained, once more at half.
      const round = (value) => Math.max(1000, Math.round(value / 1000) * 1000);
      let offered =
        figures.saturation.deliveriesPerSec >= FIXED_LOAD
          ? FIXED_LOAD
          : round(0.7 * figures.saturation.deliveriesPerSec);
      const timing = {
        warmupMs: TIMING.latencyWarmupMs,
        measureMs: TIMING.latencyMs,
        serverPid: server.pid,
        storeCpu,
        gcStats: () => server.gcStats(),
      };
      let measured = await load.fixedRate({ deliveriesPerSec: offered, ...timing });
      figures.latency = measured.figures;
      if (!figures.latency.sustained && offered > 1000) {
        const first = figures.latency;
        offered = round(offered / 2);
        measured = await load.fixedRate({ deliveriesPerSec: offered, ...timing });
        figures.latency = { ...measured.figures, firstAttempt: first };
      }
      latencySamples = measured.samples;
      if (offered < FIXED_LOAD) {
        figures.note = `did not sustain ${FIXED_LOAD}/s: latency measured at ${offered}/s`;
      }
    }
    figures.check = load.verify();
    if (redisBefore !== null) {
      const redisAfter = await redisStats(redisUrl ?? '');
      figures.redisCommands = redisAfter === null ? null : redisAfter.commands - redisBefore.commands;
      if (!(figures.redisCommands >= figures.check.messages)) {
        figures.error = `STORE=redis did not reach Redis (${figures.redisCommands} commands for ${figures.check.messages} messages)`;
      }
    }
    if (!server.isAlive()) figures.error = `server died:\n${server.output()}`;
    const c = figures.check;
    figures.passed = !figures.error && c.messages > 0 && c.lost === 0 && c.misordered === 0 && c.failures === 0;
  } catch (error) {
    figures.error = error instanceof Error ? error.message : String(error);
    if (server) figures.error += `\nserver output:\n${server.output().slice(-1500)}`;
    figures.passed = false;
  } finally {
    load?.close();
    await server?.stop();
  }
  // Wall time of the whole step (start, rooms, joins, load, drain, stop): what a server costs the run.
  figures.stepSeconds = (performance.now() - startedAt) / 1000;
  const c = figures.check;
  console.log(
    `${figures.passed ? 'ok  ' : 'FAIL'} ${name} (${figures.stepSeconds.toFixed(1)} s): ${c ? `${c.messages} messages, ${c.deliveries} deliveries, ${c.lost} lost, ${c.misordered} misordered, ${c.failures} errors` : ''}` +
      (figures.saturation ? `, ${Math.round(figures.saturation.deliveriesPerSec)} deliveries/s` : '') +
      (figures.latency
        ? `, p99 ${figures.latency.p99Ms?.toFixed(2)} ms at ${figures.latency.offeredDeliveriesPerSec}/s` +
          (figures.latency.gc ? ` (${figures.latency.gc.full} full GCs meanwhile)` : '')
        : '') +
      (figures.note ? ` (${figures.note})` : '') +
      (figures.error ? `\n     ${figures.error.replaceAll('\n', '\n     ')}` : '') +
      (c?.failureSamples?.length ? `\n     ${c.failureSamples.join('\n     ')}` : ''),
  );
  return { figures, latencySamples };
}

/**
 * The young generation held at one size during the memory step: V8 grows and shrinks it (up to tens of MB) with the
 * allocation rate, a fixed cost that would otherwise land on one side of the difference below at random.
 */
const FIXED_YOUNG_GENERATION = ['--min-semi-space-size=16', '--max-semi-space-size=16'];

/**
 * RSS per idle joined member: RSS with 10k members joined minus RSS with the rooms created and nobody connected,
 * both read after a full compacting GC (see tools/server-hooks.cjs).
 */
async function runMemory(target, pin) {
  const memory = { members: MEMORY_SHAPE.rooms * MEMORY_SHAPE.members };
  let server;
  let load;
  try {
    server = await startServer(target, { pin, profileDir, nodeFlags: FIXED_YOUNG_GENERATION });
    const roomIds = await target.createRooms(server.baseUrl, MEMORY_SHAPE.rooms);
    await sleep(1000);
    const empty = await server.collectGarbage();
    await sleep(1000);
    memory.rssBeforeBytes = rssBytes(server.pid);
    load = new Load({
      MemberClass: target.MemberClass,
      baseUrl: server.baseUrl,
      roomIds,
      membersPerRoom: MEMORY_SHAPE.members,
    });
    await load.joinAll(100);
    await sleep(3000);
    // Both: what the OS sees right after the joins, and what stays once the join phase's garbage is collected.
    memory.rssSettledBytes = rssBytes(server.pid);
    const joined = await server.collectGarbage();
    if (empty && joined) {
      // The live JavaScript heap (plus buffers) per member: what the members retain, whatever RSS V8 keeps mapped.
      memory.heapBytesPerMember =
        (joined.heapUsed + joined.external - empty.heapUsed - empty.external) / memory.members;
    }
    await sleep(1000);
    memory.rssAfterBytes = rssBytes(server.pid);
    memory.bytesPerMemberBeforeGc = (memory.rssSettledBytes - memory.rssBeforeBytes) / memory.members;
    memory.bytesPerMember = (memory.rssAfterBytes - memory.rssBeforeBytes) / memory.members;
    memory.joinSeconds = load.joinSeconds;
    if (load.failureCount > 0) memory.error = load.failures.join('; ');
  } catch (error) {
    memory.error = error instanceof Error ? error.message : String(error);
    if (load) memory.error += ` (after ${load.joined} of ${memory.members} joined)`;
    if (server) memory.error += `\nserver alive: ${server.isAlive()}, output:\n${server.output().slice(-1500)}`;
  } finally {
    load?.close();
    await server?.stop();
  }
  console.log(
    `${memory.error ? 'FAIL' : 'ok  '} ${target.key} memory: ${memory.members} idle members, ` +
      `${((memory.bytesPerMember ?? NaN) / 1024).toFixed(2)} KB each${memory.error ? `\n     ${memory.error}` : ''}`,
  );
  return memory;
}

async function main() {
  reexecWithMoreFiles();
  buildApiIfMissing();
  if (argv.includes('--cluster')) {
    const { runCluster } = await import('./cluster.mjs');
    process.exit(await runCluster(root, argv));
  }
  const pin = canPin();
  if (pin) pinSelf(GENERATOR_CORE);
  else
    console.log('taskset or a second core is missing: server and generator share the cores (figures not comparable)');
  const results = {
    generatedAt: new Date().toISOString(),
    command: `node bench/run.mjs${argv.length ? ` ${argv.join(' ')}` : ''}`,
    mode: quick ? 'quick' : 'full',
    machine: machineInfo(),
    api: apiBuild(),
    pinning: pin ? { server: `taskset -c ${SERVER_CORE}`, generator: `taskset -c ${GENERATOR_CORE}` } : null,
    loadAverage: { start: loadAverage() },
    settings: {
      textBytes: TEXT_BYTES,
      shapes: SHAPES,
      rounds: ROUNDS,
      fixedLoadDeliveriesPerSec: FIXED_LOAD,
      timing: TIMING,
      memoryShape: MEMORY_SHAPE,
    },
    servers: {},
    skipped: [],
  };
  console.log(
    `bench (${results.mode}): ${results.machine.cpuModel}, ${results.machine.cores} cores, node ${results.machine.node}, ` +
      `load average ${results.loadAverage.start.join(' ')}`,
  );

  const redisNote = await provideRedis(pin ? SERVER_CORE : undefined);
  if (redisNote) console.log(redisNote);

  const active = [];
  for (const target of targets(root)) {
    if (only && !only.includes(target.key)) continue;
    if (target.skipReason) {
      console.log(`skip ${target.key}: ${target.skipReason} (optional step)`);
      results.skipped.push({ server: target.key, reason: target.skipReason });
      continue;
    }
    active.push(target);
    results.servers[target.key] = { label: target.label, shapes: {}, rounds: {} };
  }
  const watchdog = setTimeout(() => {
    console.error(`bench: watchdog after ${watchdogMs(active.length) / 1000} s, stopping`);
    process.exit(2);
  }, watchdogMs(active.length));
  watchdog.unref();
  /** Each round's sorted latencies per server and shape, until they are pooled. */
  const latencySamples = new Map();
  const samplesOf = (target, shape) => {
    const key = `${target.key} ${shape.key}`;
    if (!latencySamples.has(key)) latencySamples.set(key, new Map());
    return latencySamples.get(key);
  };
  // Rounds interleave the servers, so that a burst of load from other processes hurts no server alone.
  for (let round = 1; round <= ROUNDS; round++) {
    for (const shape of SHAPES) {
      for (const target of active) {
        const started = loadAverage();
        const { figures, latencySamples } = await runShape(target, shape, pin);
        (results.servers[target.key].rounds[shape.key] ??= []).push({ round, loadAverage: started, ...figures });
        if (latencySamples) samplesOf(target, shape).set(round, latencySamples);
      }
    }
  }
  for (const target of active) {
    const entry = results.servers[target.key];
    for (const shape of SHAPES) entry.shapes[shape.key] = bestOf(entry.rounds[shape.key], samplesOf(target, shape));
    if (quick) delete entry.rounds;
    if (!quick && !argv.includes('--no-memory')) entry.memory = await runMemory(target, pin);
  }
  results.loadAverage.end = loadAverage();

  const tests = Object.entries(results.servers).flatMap(([key, server]) =>
    Object.entries(server.shapes).map(([shape, f]) => ({ name: `${key} ${shape}`, passed: f.passed, error: f.error })),
  );
  const passed = tests.filter((t) => t.passed).length;
  const failed = tests.length - passed;

  if (quick) {
    const dir = join(root, 'dist/test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'bench.json'),
      JSON.stringify(
        {
          numPassedTests: passed,
          numFailedTests: failed,
          numTotalTests: tests.length,
          success: failed === 0,
          testResults: tests.map((t) => ({
            name: t.name,
            status: t.passed ? 'passed' : 'failed',
            message: t.error ?? '',
          })),
          skipped: results.skipped,
        },
        null,
        2,
      ),
    );
  } else {
    results.ratios = ratios(results);
    console.log(`\n${throughputTable(results)}\n\n${ratioTable(results, results.ratios)}\n\n${memoryTable(results)}\n`);
    for (const line of targetLines(results, results.ratios)) console.log(line);
    console.log(`load average: start ${results.loadAverage.start.join(' ')}, end ${results.loadAverage.end.join(' ')}`);
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(join(root, 'bench/results/latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log('written: bench/results/latest.json');
  }
  for (const skip of results.skipped) console.log(`skipped: ${skip.server} (${skip.reason})`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

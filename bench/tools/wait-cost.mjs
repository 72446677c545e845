// The cost of REDIS_WAIT_REPLICAS on a loopback Redis Cluster (3 masters, 3 replicas, scripts/redis-cluster.sh):
// message:send ack latency of one sender one message at a time, and the acknowledged rate of 20 senders (one
// room each, spread over the masters), with REDIS_WAIT_REPLICAS=0 and =1. Needs the built API (npm run build).
//   node bench/tools/wait-cost.mjs [messagesPerRun=2000]
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { startInstance } from '../cluster.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const count = Number(process.argv[2] ?? 2000);
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

const instance = (seeds, waitReplicas) =>
  startInstance(root, seeds, `wait${waitReplicas}:`, { REDIS_WAIT_REPLICAS: String(waitReplicas) });

async function member(url) {
  const { roomId } = await (await fetch(`${url}/api/rooms`, { method: 'POST' })).json();
  const socket = io(url, { transports: ['websocket'] });
  const joined = await socket.emitWithAck('room:join', { roomId, nick: 'bench' });
  return { socket, roomId, userToken: joined.data.userToken };
}

async function measure(url) {
  const one = await member(url);
  const latencies = [];
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    const ack = await one.socket.emitWithAck('message:send', {
      roomId: one.roomId,
      userToken: one.userToken,
      text: `m${i}`,
    });
    if (!ack.ok) throw new Error(ack.error.code);
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  latencies.sort((a, b) => a - b);
  one.socket.disconnect();
  const senders = await Promise.all(Array.from({ length: 20 }, () => member(url)));
  const started = Date.now();
  await Promise.all(
    senders.map(async (s) => {
      for (let i = 0; i < count / 10; i++) {
        const ack = await s.socket.emitWithAck('message:send', {
          roomId: s.roomId,
          userToken: s.userToken,
          text: `x${i}`,
        });
        if (!ack.ok) throw new Error(ack.error.code);
      }
    }),
  );
  const rate = Math.round((20 * (count / 10)) / ((Date.now() - started) / 1000));
  for (const s of senders) s.socket.disconnect();
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), rate };
}

const dir = mkdtempSync(join(tmpdir(), 'tc-wait-'));
const env = { ...process.env, TINY_CHAT_CLUSTER_DIR: dir };
const script = join(root, 'scripts/redis-cluster.sh');
const seeds = /REDIS_CLUSTER_NODES=(\S+)/.exec(execFileSync('bash', [script, 'start'], { env }).toString())[1];
try {
  console.log(`REDIS_WAIT_REPLICAS | send ack p50 (ms) | p99 (ms) | acknowledged/s, 20 senders`);
  for (const waitReplicas of [0, 1]) {
    const api = await instance(seeds, waitReplicas);
    try {
      const { p50, p99, rate } = await measure(api.http);
      console.log(`${waitReplicas} | ${p50.toFixed(2)} | ${p99.toFixed(2)} | ${rate}`);
    } finally {
      api.stop();
    }
  }
} finally {
  execFileSync('bash', [script, 'stop'], { env });
}
process.exit(0);

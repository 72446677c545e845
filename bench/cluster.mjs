// The cluster mode of the benchmark (`npm run bench -- --cluster`): three tiny-chat instances on a 3-master Redis
// Cluster (scripts/redis-cluster.sh, loopback), rooms spread evenly (each room's members on one instance, a third of
// the rooms per instance). Reports aggregate deliveries/s and, per instance, the pub/sub messages it received
// (tinychat_redis_pubsub_received_total) against the messages of the rooms it serves and against all messages.
//   node bench/run.mjs --cluster [--rooms=60] [--members=10] [--seconds=10] [--window=4]
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Load } from './lib/load.mjs';
import { freePort, loadAverage, machineInfo } from './lib/proc.mjs';
import { apiNodeFlags, tinyChatEnv, tinyChatRooms } from './lib/servers.mjs';
import { SocketIoMember } from './lib/wire.mjs';

const INSTANCES = 3;

async function metric(httpUrl, name) {
  const text = await (await fetch(`${httpUrl}/api/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return Number(line?.split(' ').at(-1) ?? NaN);
}

/** A tiny-chat process of the built API on the cluster, configured for load (no rate limits, loopback). */
export async function startInstance(root, seeds, prefix, env = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [...apiNodeFlags(root), join(root, 'dist/apps/api/main.js')], {
    env: {
      ...process.env,
      ...tinyChatEnv(port),
      STORE: 'redis',
      REDIS_CLUSTER_NODES: seeds,
      REDIS_KEY_PREFIX: prefix,
      WEB_ROOT: '/nonexistent',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: 'ignore',
  });
  const http = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`${http}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await sleep(100);
  }
  return { http, ws: `ws://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill('SIGKILL') };
}

export async function runCluster(root, argv) {
  const option = (name, fallback) => Number(argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
  const rooms = option('rooms', 60);
  const members = option('members', 10);
  const seconds = option('seconds', 10);
  const window = option('window', 4);
  const dir = mkdtempSync(join(tmpdir(), 'tc-bench-cluster-'));
  const env = { ...process.env, TINY_CHAT_CLUSTER_DIR: dir };
  const script = join(root, 'scripts/redis-cluster.sh');
  const seeds = /REDIS_CLUSTER_NODES=(\S+)/.exec(execFileSync('bash', [script, 'start'], { env }).toString())[1];
  const instances = [];
  const loads = [];
  try {
    const prefix = `bench:${Date.now()}:`;
    for (let i = 0; i < INSTANCES; i++) instances.push(await startInstance(root, seeds, prefix));
    for (const instance of instances) {
      const roomIds = await tinyChatRooms(instance.ws, rooms / INSTANCES);
      const load = new Load({ MemberClass: SocketIoMember, baseUrl: instance.ws, roomIds, membersPerRoom: members });
      await load.joinAll();
      loads.push(load);
    }
    const sentOf = (load) => load.rooms.reduce((sum, room) => sum + room.sent, 0);
    const receivedBefore = await Promise.all(
      instances.map((i) => metric(i.http, 'tinychat_redis_pubsub_received_total')),
    );
    const sentBefore = loads.map(sentOf);
    const results = await Promise.all(
      loads.map((load, i) =>
        load.saturate({ window, warmupMs: 0, measureMs: seconds * 1000, serverPid: instances[i].pid }),
      ),
    );
    const receivedAfter = await Promise.all(
      instances.map((i) => metric(i.http, 'tinychat_redis_pubsub_received_total')),
    );
    const messages = loads.map((load, i) => sentOf(load) - sentBefore[i]);
    const totalMessages = messages.reduce((a, b) => a + b, 0);
    const verified = loads.map((load) => load.verify());
    const perInstance = instances.map((_, i) => ({
      instance: i + 1,
      rooms: rooms / INSTANCES,
      deliveriesPerSec: Math.round(results[i].deliveriesPerSec),
      pubsubReceived: receivedAfter[i] - receivedBefore[i],
      ownRoomMessages: messages[i],
      allMessages: totalMessages,
      shareOfAll: (receivedAfter[i] - receivedBefore[i]) / totalMessages,
      lost: verified[i].lost,
      misordered: verified[i].misordered,
    }));
    const aggregate = Math.round(results.reduce((sum, r) => sum + r.deliveriesPerSec, 0));
    console.log(
      `tiny-chat on a 3-master Redis Cluster, ${INSTANCES} instances, ${rooms} rooms x ${members} members, ` +
        `${seconds} s closed loop (window ${window}): ${aggregate} deliveries/s in all`,
    );
    console.log("instance | rooms | deliveries/s | pub/sub received | its rooms' messages | all messages | share");
    for (const row of perInstance)
      console.log(
        `${row.instance} | ${row.rooms} | ${row.deliveriesPerSec} | ${row.pubsubReceived} | ${row.ownRoomMessages} | ` +
          `${row.allMessages} | ${(row.shareOfAll * 100).toFixed(1)} %  (lost ${row.lost}, misordered ${row.misordered})`,
      );
    const report = {
      generatedAt: new Date().toISOString(),
      command: `node bench/run.mjs ${argv.join(' ')}`,
      machine: machineInfo(),
      loadAverage: loadAverage(),
      settings: { instances: INSTANCES, masters: 3, replicas: 3, rooms, members, seconds, window },
      aggregateDeliveriesPerSec: aggregate,
      perInstance,
    };
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(join(root, 'bench/results/cluster-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    return perInstance.every((row) => row.lost === 0 && row.misordered === 0) ? 0 : 1;
  } finally {
    for (const load of loads) load.close();
    for (const instance of instances) instance.stop();
    execFileSync('bash', [script, 'stop'], { env });
  }
}

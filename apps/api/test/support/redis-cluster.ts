/** A Redis Cluster of the test's own (scripts/redis-cluster.sh), whose nodes it may stop, kill and start again. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';

const SCRIPT = join(__dirname, '../../../../scripts/redis-cluster.sh');

export interface TestCluster {
  /** host:port,... for REDIS_CLUSTER_NODES. */
  seeds: string;
  nodes: Array<{ host: string; port: number }>;
  /** A client for looking at the cluster (CLUSTER NODES, PUBSUB SHARDNUMSUB). */
  admin: Cluster;
  signal(port: number, signal: NodeJS.Signals): void;
  /** Starts the node again on its port, with its nodes.conf (it rejoins the cluster, as a replica if replaced). */
  restart(port: number): void;
  /** The master serving the slot and its replicas, as ports, from the node `askPort`'s view. */
  slotOwners(slot: number, askPort: number): { master: number; replicas: number[] };
  /** The node's log (for a failure message). */
  logOf(port: number): string;
  stop(): Promise<void>;
}

function cli(port: number, ...args: string[]): string {
  return execFileSync('redis-cli', ['-p', String(port), ...args], { timeout: 5000 }).toString();
}

export async function startTestCluster(): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'tc-cluster-'));
  const env = { ...process.env, TINY_CHAT_CLUSTER_DIR: dir };
  const out = execFileSync('bash', [SCRIPT, 'start'], { env, timeout: 60_000 }).toString();
  const seeds = /REDIS_CLUSTER_NODES=(\S+)/.exec(out)?.[1] ?? '';
  const nodes = seeds.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });
  const admin = new Cluster(nodes, { slotsRefreshInterval: 500, clusterRetryStrategy: () => 200 });
  admin.on('error', () => undefined);
  await new Promise<void>((resolve) => admin.once('ready', () => resolve()));
  const pidOf = (port: number) => Number(readFileSync(join(dir, String(port), 'redis.pid'), 'utf8').trim());
  return {
    seeds,
    nodes,
    admin,
    signal(port, signal) {
      process.kill(pidOf(port), signal);
    },
    restart(port) {
      execFileSync(
        'redis-server',
        [
          ...['--bind', '127.0.0.1', '--port', String(port), '--cluster-enabled', 'yes'],
          ...['--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000', '--save', ''],
          ...['--appendonly', 'no', '--repl-diskless-sync-delay', '0', '--daemonize', 'yes'],
          ...['--pidfile', join(dir, String(port), 'redis.pid')],
          ...['--logfile', join(dir, String(port), 'redis.log')],
        ],
        { cwd: join(dir, String(port)) },
      );
    },
    slotOwners(slot, askPort) {
      // CLUSTER NODES lines: id address flags master-id ping pong epoch link-state slot-range...
      const lines = cli(askPort, '--raw', 'cluster', 'nodes').trim().split('\n');
      const byId = new Map<string, { port: number; flags: string; master: string; slots: string[] }>();
      for (const line of lines) {
        const [id, address, flags, master, , , , , ...slots] = line.split(' ');
        const port = Number((address ?? '').split('@')[0]?.split(':')[1]);
        byId.set(id ?? '', { port, flags: flags ?? '', master: master ?? '-', slots });
      }
      let masterId = '';
      for (const [id, node] of byId) {
        if (!node.flags.includes('master') || node.flags.includes('fail')) continue;
        for (const range of node.slots) {
          const [from, to = from] = range.split('-').map(Number);
          if (from !== undefined && to !== undefined && slot >= from && slot <= to) masterId = id;
        }
      }
      const replicas = [...byId.values()].filter((n) => n.master === masterId && !n.flags.includes('fail'));
      return { master: byId.get(masterId)?.port ?? 0, replicas: replicas.map((n) => n.port) };
    },
    logOf(port) {
      return readFileSync(join(dir, String(port), 'redis.log'), 'utf8');
    },
    async stop() {
      admin.disconnect();
      execFileSync('bash', [SCRIPT, 'stop'], { env, timeout: 30_000 });
    },
  };
}

// Reads a Redis's own counters (INFO): commands processed, to prove the Redis step really used Redis, and CPU time,
// so the Redis step's CPU per delivery counts the store too.
import { connect } from 'node:net';

/**
 * `{ commands, cpuMicros }` of the Redis at `url` (redis://[user:password@]host:port), or null when unreachable.
 * @returns {Promise<{ commands: number, cpuMicros: number } | null>}
 */
export function redisStats(url) {
  return new Promise((resolve) => {
    let target;
    try {
      target = new URL(url);
    } catch {
      resolve(null);
      return;
    }
    const socket = connect({ host: target.hostname || '127.0.0.1', port: Number(target.port || 6379) });
    let reply = '';
    const done = (value) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(3000, () => done(null));
    socket.once('error', () => done(null));
    socket.on('connect', () => {
      const password = decodeURIComponent(target.password);
      const user = decodeURIComponent(target.username);
      if (password) socket.write(user ? `AUTH ${user} ${password}\r\n` : `AUTH ${password}\r\n`);
      socket.write('INFO\r\n');
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (/^-/m.test(reply) && !reply.includes('$')) return done(null);
      const header = /\$(\d+)\r\n/.exec(reply);
      if (!header || reply.length < header.index + header[0].length + Number(header[1])) return undefined;
      const field = (name) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(reply)?.[1] ?? Number.NaN);
      return done({
        commands: field('total_commands_processed'),
        cpuMicros: (field('used_cpu_user') + field('used_cpu_sys')) * 1e6,
      });
    });
  });
}

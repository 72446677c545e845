// Asks a Redis how many commands it has processed (INFO stats), to prove that the Redis step really used Redis.
import { connect } from 'node:net';

/** `total_commands_processed` of the Redis at `url` (redis://[:password@]host:port), or null if unreachable. */
export function redisCommandsProcessed(url) {
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
      socket.write('INFO stats\r\n');
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      const match = /total_commands_processed:(\d+)/.exec(reply);
      if (match) done(Number(match[1]));
      else if (/^-/m.test(reply) && !reply.includes('$')) done(null);
    });
  });
}

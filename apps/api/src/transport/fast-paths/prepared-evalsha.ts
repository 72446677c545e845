/**
 * Fast path `prepared-evalsha`: EVALSHA of one Lua script, built in one pass: the hot path of Redis mode (one append
 * per message).
 *
 * ioredis' defined commands copy the arguments twice (a spread, then `Array.prototype.flat`), convert each one, build
 * the RESP text argument by argument, and arm a timer per command whose removal (`delete`) turns every command object
 * into a slow dictionary (docs/benchmark.md has the profile). Here the constant head (EVALSHA, SHA, key count) is
 * encoded once, the arguments once, and the command goes through ioredis' own queue (`sendCommand`), so replies,
 * errors and reconnects are handled as for any other command. Timeouts are checked by one sweep per connection instead
 * of a timer per command.
 *
 * When Redis does not know the script (after a restart or SCRIPT FLUSH: NOSCRIPT), the call is answered by the
 * fallback, which sends the script itself (ioredis' defined command does that); nothing ran, so nothing is repeated.
 *
 * Relies on: ioredis calling a `Command`'s `toWritable` to get the bytes it writes and its `setTimeout` to arm the
 * command timeout (both methods of ioredis' exported `Command`, not documented API). With the fast path off the
 * defined command (the fallback) serves every call.
 */
import Redis, { Command } from 'ioredis';
import { createHash } from 'node:crypto';
import type { FastPath } from './fast-paths';

export const preparedEvalsha: FastPath = {
  name: 'prepared-evalsha',
  check() {
    const prototype = Command.prototype as unknown as Record<string, unknown>;
    for (const method of ['toWritable', 'setTimeout'])
      if (typeof prototype[method] !== 'function') return `ioredis \`Command.prototype.${method}\` is not a function`;
    if (typeof Redis.prototype.sendCommand !== 'function') return 'ioredis `sendCommand` is not a function';
    return undefined;
  },
};

type Arg = string | number;

/** RESP bulk string. */
function bulk(arg: Arg): string {
  const text = typeof arg === 'string' ? arg : String(arg);
  return `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
}

/** How often a connection's waiting commands are checked against their deadline. */
const SWEEP_PERIOD_MS = 50;

/**
 * One connection's prepared commands waiting for their reply, oldest first. Redis answers a connection's commands in
 * order, so the settled ones are at the front: each is let go as soon as it settles (nothing is kept alive for a
 * young-generation collection to copy), and one timer fails the oldest once their deadline has passed.
 */
class TimeoutSweep {
  private readonly waiting: Array<PreparedCommand | undefined> = [];
  private head = 0;
  private timer?: NodeJS.Timeout;

  track(command: PreparedCommand): void {
    this.waiting.push(command);
    if (!this.timer) {
      this.timer = setInterval(() => this.expire(), SWEEP_PERIOD_MS);
      this.timer.unref();
    }
  }

  /** Lets go of the settled commands at the front. */
  release(): void {
    while (this.head < this.waiting.length && (this.waiting[this.head] as PreparedCommand).settled)
      this.waiting[this.head++] = undefined;
    this.compact();
  }

  private expire(): void {
    const now = performance.now();
    while (this.head < this.waiting.length) {
      const command = this.waiting[this.head] as PreparedCommand;
      if (!command.settled) {
        if (command.deadline > now) break;
        command.reject(new Error('Command timed out'));
      }
      this.waiting[this.head++] = undefined;
    }
    this.compact();
    if (this.waiting.length === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private compact(): void {
    if (this.head === this.waiting.length) {
      this.waiting.length = 0;
      this.head = 0;
    } else if (this.head >= 1024) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** Each connection's sweep (its commands share one timeout and are answered in order). */
const sweeps = new WeakMap<Redis, TimeoutSweep>();

/** An EVALSHA whose RESP text is given whole; its timeout goes to its connection's sweep. */
class PreparedCommand extends Command {
  /** When the command times out (performance.now()); set when ioredis arms the timeout. */
  deadline = Infinity;
  /** Answered or failed: the sweep may let go of it. */
  settled = false;

  constructor(
    private readonly text: string,
    private readonly sweep: TimeoutSweep,
  ) {
    super('evalsha', [], { replyEncoding: 'utf8' });
  }

  override toWritable(): string {
    return this.text;
  }

  override setTimeout(ms: number): void {
    this.deadline = performance.now() + ms;
    this.sweep.track(this);
  }
}

export class PreparedScript {
  readonly sha: string;
  private readonly head: string;

  constructor(
    lua: string,
    private readonly keyCount: number,
  ) {
    this.sha = createHash('sha1').update(lua).digest('hex');
    this.head = `$7\r\nEVALSHA\r\n${bulk(this.sha)}${bulk(keyCount)}`;
  }

  /**
   * Runs the script with these keys and arguments. When Redis lacks the script, answers `fallback()` instead: the
   * same script through ioredis' defined command, which sends the script itself.
   */
  async run<T>(redis: Redis, keys: readonly string[], args: readonly Arg[], fallback: () => Promise<T>): Promise<T> {
    if (keys.length !== this.keyCount) throw new Error(`expected ${this.keyCount} keys, got ${keys.length}`);
    let text = `*${3 + keys.length + args.length}\r\n${this.head}`;
    for (const key of keys) text += bulk(key);
    for (const arg of args) text += bulk(arg);
    let sweep = sweeps.get(redis);
    if (!sweep) sweeps.set(redis, (sweep = new TimeoutSweep()));
    const command = new PreparedCommand(text, sweep);
    try {
      return (await redis.sendCommand(command)) as T;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return fallback();
      throw error;
    } finally {
      command.settled = true;
      sweep.release();
    }
  }
}

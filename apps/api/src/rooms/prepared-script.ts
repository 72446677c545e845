/**
 * EVALSHA of one Lua script, built in one pass: the hot path of Redis mode (one append per message).
 *
 * ioredis' defined commands cost about 9 us of JavaScript per call at 5,000 messages a second in the benchmark:
 * the script wrapper copies the arguments twice (a spread, then `Array.prototype.flat`), converts each one, builds the
 * RESP text argument by argument, and arms a timer per command whose removal (`delete`) turns every command object
 * into a slow dictionary. Here the constant head (EVALSHA, SHA, key count) is encoded once, the arguments once, and
 * the command goes through ioredis' own queue (`sendCommand`), so replies, errors and reconnects are handled as for
 * any other command. Timeouts are checked by one shared sweep instead of a timer per command.
 *
 * When Redis does not know the script (after a restart or SCRIPT FLUSH: NOSCRIPT), the call is answered by the
 * fallback, which sends the script itself (ioredis' defined command does that); nothing ran, so nothing is repeated.
 */
import Redis, { Command } from 'ioredis';
import { createHash } from 'node:crypto';

type Arg = string | number;

/** RESP bulk string. */
function bulk(arg: Arg): string {
  const text = typeof arg === 'string' ? arg : String(arg);
  return `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
}

/** Commands waiting for their reply, oldest first, each with its deadline (one timeout for all: FIFO). */
class TimeoutSweep {
  private readonly waiting: Array<{ command: Command; deadline: number }> = [];
  private head = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly periodMs: number) {}

  track(command: Command, ms: number): void {
    this.waiting.push({ command, deadline: performance.now() + ms });
    if (!this.timer) {
      this.timer = setInterval(() => this.sweep(), this.periodMs);
      this.timer.unref();
    }
  }

  private sweep(): void {
    const now = performance.now();
    while (this.head < this.waiting.length) {
      const entry = this.waiting[this.head] as { command: Command; deadline: number };
      if (!entry.command.isResolved) {
        if (entry.deadline > now) break;
        entry.command.reject(new Error('Command timed out'));
      }
      this.head++;
    }
    if (this.head === this.waiting.length) {
      this.waiting.length = 0;
      this.head = 0;
      clearInterval(this.timer);
      this.timer = undefined;
    } else if (this.head > 1024) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** An EVALSHA whose RESP text is given whole; its timeout goes to the shared sweep. */
class PreparedCommand extends Command {
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
    this.sweep.track(this, ms);
  }
}

export class PreparedScript {
  readonly sha: string;
  private readonly head: string;
  private readonly sweep: TimeoutSweep;

  /** `sweepPeriodMs`: how often command timeouts are checked (a command fails at most this much late). */
  constructor(
    lua: string,
    private readonly keyCount: number,
    sweepPeriodMs = 100,
  ) {
    this.sha = createHash('sha1').update(lua).digest('hex');
    this.head = `$7\r\nEVALSHA\r\n${bulk(this.sha)}${bulk(keyCount)}`;
    this.sweep = new TimeoutSweep(sweepPeriodMs);
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
    try {
      return (await redis.sendCommand(new PreparedCommand(text, this.sweep))) as T;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return fallback();
      throw error;
    }
  }
}

/**
 * Owns the switch and the verdicts of the fast paths: tricks that rely on a dependency's non-public shape (socket.io,
 * engine.io, ws, ioredis, pino). Each trick lives in a file of this folder and declares what it needs; it runs only
 * when FAST_PATHS is on and its check passed. A failed check turns that one trick off with a single warning
 * (`fast path <name> disabled: <reason>`) and the stock path serves instead, so a dependency upgrade that renames a
 * private field costs speed or memory, never correctness. Limits and security controls are never fast paths.
 */
import { Logger } from '@nestjs/common';

export interface FastPath<Live = never> {
  /** Named in the warning and in docs/architecture.md. */
  readonly name: string;
  /** What the dependency lacks for this trick, checked once at start; undefined when it has the shape. */
  check(): string | undefined;
  /**
   * What a live object lacks (fields only an instance made by the dependency has, e.g. the first connection's engine.io
   * socket), checked once, on the first such object; undefined when it has the shape.
   */
  checkLive?(live: Live): string | undefined;
}

type Verdict = { allowed: true } | { allowed: false; reason: string };

/** Runs a check; a check that throws counts as failed (the shape it probed was not there). */
function reasonOf(run: () => string | undefined): string | undefined {
  try {
    return run();
  } catch (error) {
    return `check threw: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export class FastPaths {
  private readonly logger = new Logger('FastPaths');
  /** Static verdicts, then live ones, by trick name: each check runs once. */
  private readonly verdicts = new Map<string, Verdict>();
  private readonly liveVerdicts = new Map<string, Verdict>();

  /** `enabled` is FAST_PATHS (on = true); `warn` receives the one line per disabled trick. */
  constructor(
    readonly enabled: boolean,
    private readonly warn: (line: string) => void = (line) => this.logger.warn(line),
  ) {}

  /** Whether `path` may run: FAST_PATHS is on and its start-up check passed (run on the first call, then kept). */
  allows<Live>(path: FastPath<Live>): boolean {
    if (!this.enabled) return false;
    let verdict = this.verdicts.get(path.name);
    if (!verdict) {
      verdict = this.judge(
        path.name,
        reasonOf(() => path.check()),
      );
      this.verdicts.set(path.name, verdict);
    }
    return verdict.allowed;
  }

  /** `allows(path)`, and the live check on the first `live` object it sees (then kept for every later one). */
  allowsFor<Live>(path: FastPath<Live>, live: Live): boolean {
    if (!this.allows(path)) return false;
    let verdict = this.liveVerdicts.get(path.name);
    if (!verdict) {
      verdict = this.judge(path.name, path.checkLive ? reasonOf(() => path.checkLive?.(live)) : undefined);
      this.liveVerdicts.set(path.name, verdict);
      if (!verdict.allowed) this.verdicts.set(path.name, verdict);
    }
    return verdict.allowed;
  }

  /**
   * Turns `path` off for good with one warning: a guard found, mid-flight, a shape the checks did not foresee. The
   * caller serves the current frame or command through the stock path.
   */
  disable<Live>(path: FastPath<Live>, reason: string): void {
    if (this.verdicts.get(path.name)?.allowed === false) return;
    const verdict = this.judge(path.name, reason);
    this.verdicts.set(path.name, verdict);
    this.liveVerdicts.set(path.name, verdict);
  }

  /** The names of the tricks turned off so far, with their reasons (tests, logs). */
  disabled(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, verdict] of this.verdicts) if (!verdict.allowed) out[name] = verdict.reason;
    return out;
  }

  private judge(name: string, reason: string | undefined): Verdict {
    if (reason === undefined) return { allowed: true };
    this.warn(`fast path ${name} disabled: ${reason}`);
    return { allowed: false, reason };
  }
}

/** For code made outside Nest (specs, the bench's helpers): every fast path on, warnings to Nest's logger. */
export const DEFAULT_FAST_PATHS = new FastPaths(true);

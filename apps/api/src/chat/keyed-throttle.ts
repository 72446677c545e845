/**
 * At most one call per key per interval: the first goes out at once, the ones that follow within the interval
 * are merged into one trailing call carrying the latest value. Used for room:presence, whose every event carries
 * the room's whole member list: without it, N members joining a room together (a link shared in a big group, or
 * everyone reconnecting after a deploy) cost N lists of up to N members sent to up to N sockets.
 */
export class KeyedThrottle<T> {
  private readonly cooling = new Map<string, { timer: NodeJS.Timeout; pending: boolean; latest?: T }>();
  private closed = false;

  constructor(
    private readonly intervalMs: number,
    private readonly emit: (key: string, value: T) => void,
  ) {}

  push(key: string, value: T): void {
    if (this.closed) return;
    const entry = this.cooling.get(key);
    if (entry) {
      entry.pending = true;
      entry.latest = value;
      return;
    }
    this.emit(key, value);
    this.cool(key);
  }

  /** Forgets the key: a pending trailing call is dropped. */
  cancel(key: string): void {
    const entry = this.cooling.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.cooling.delete(key);
  }

  /**
   * Drops every pending call and timer and ignores later pushes: at shutdown, before the connections `emit` writes to
   * (the Redis adapter's) are closed, so no timer fires into a closed client.
   */
  close(): void {
    this.closed = true;
    for (const { timer } of this.cooling.values()) clearTimeout(timer);
    this.cooling.clear();
  }

  /** Keys with a timer running (tests). */
  get size(): number {
    return this.cooling.size;
  }

  private cool(key: string): void {
    const timer = setTimeout(() => {
      const entry = this.cooling.get(key);
      this.cooling.delete(key);
      if (entry?.pending) {
        this.emit(key, entry.latest as T);
        this.cool(key);
      }
    }, this.intervalMs);
    timer.unref();
    this.cooling.set(key, { timer, pending: false });
  }
}

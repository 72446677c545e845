/**
 * One write per connection per event-loop turn instead of one per frame, through Node's public stream API (cork and
 * uncork). Which connections take part is decided in transport/fast-paths (WebSocket connections of engine.io, the
 * Redis command connections): hooking them relies on those dependencies' internals.
 *
 * Without this, every frame (one delivery, one ack) costs its own `writev` system call, and those calls are the
 * largest single cost of a delivery on a busy chat server: a member of an active room receives several frames
 * per loop turn (messages of different senders, its own ack). Like uWebSockets' corking, the first frame of a
 * turn corks the connection's TCP socket, the frames that follow join it, and one shared `setImmediate` uncorks
 * every corked socket once the turn's I/O callbacks have run: the kernel sees one write per connection per turn.
 * Nothing waits for a timer; the added delay is at most the rest of the current loop turn, and a frame is held
 * for about MAX_HOLD_MS at most when the turn is a long one.
 */
export interface Corkable {
  cork(): void;
  uncork(): void;
  destroyed?: boolean;
  /** Node streams' cork depth: ours is the only cork that outlives a call, so > 0 means "in this batch". */
  readonly writableCorked?: number;
}

const PATCHED = Symbol('coalescedWrites');

/** True the first time it sees `target` (which it then marks): each stream or class is wrapped once. */
export function firstPatch(target: object): boolean {
  const marked = target as { [PATCHED]?: true };
  if (marked[PATCHED]) return false;
  marked[PATCHED] = true;
  return true;
}

/**
 * A batch that has held frames this long is let go when the next socket that is not in it yet gets corked, and a new
 * batch starts: when a backlog makes one turn run for many milliseconds (hundreds of messages), the first messages'
 * frames need not wait for all of it. Sockets already in the batch do not look at the clock (one check per socket
 * per batch, not per frame): a check per frame splits a turn that writes to every member many times over. The value
 * is the shortest that costs no throughput in the benchmark (docs/benchmark.md).
 */
export const MAX_HOLD_MS = 2;

/**
 * The sockets of the current batch: the first `corkedCount` slots of an array that keeps its capacity. (A Set
 * cleared every turn grows its table again every turn, garbage per delivery that outlives young-generation
 * collections and feeds the full, pausing ones.)
 */
const corked: Array<Corkable | undefined> = [];
let corkedCount = 0;
let flushScheduled = false;
let batchStartedAt = 0;

function uncorkBatch(): void {
  // corkedCount is read on every step: a socket corked again while the batch is let go joins it and is let go too.
  for (let i = 0; i < corkedCount; i++) {
    const socket = corked[i] as Corkable;
    corked[i] = undefined;
    socket.uncork();
  }
  corkedCount = 0;
}

function uncorkAll(): void {
  flushScheduled = false;
  uncorkBatch();
}

/**
 * Corks the socket until the current loop turn's I/O callbacks have run, or MAX_HOLD_MS (see there): what is written
 * to it next leaves with its other writes of this turn. A destroyed socket is left alone.
 */
export function corkForThisTurn(socket: Corkable): void {
  if ((socket.writableCorked ?? 0) > 0 || socket.destroyed) return;
  const now = performance.now();
  if (!flushScheduled) {
    flushScheduled = true;
    batchStartedAt = now;
    setImmediate(uncorkAll);
  } else if (now - batchStartedAt > MAX_HOLD_MS) {
    uncorkBatch();
    batchStartedAt = now;
  }
  socket.cork();
  corked[corkedCount++] = socket;
}

/**
 * Makes every write to this stream (e.g. a Redis client's TCP socket) go through the turn's cork: the commands of
 * many members sending in the same turn reach the server in one write, and Redis answers them in one.
 */
export function coalesceStreamWrites(stream: Corkable & { write: (...args: never[]) => boolean }): void {
  if (!firstPatch(stream)) return;
  const write = stream.write;
  stream.write = function (this: unknown, ...args: never[]): boolean {
    corkForThisTurn(stream);
    return write.apply(stream, args);
  };
}

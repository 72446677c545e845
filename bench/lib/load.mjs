// The load generator: joins a shape's members, drives messages closed-loop (saturation) or at a fixed rate
// (latency), and checks that every member got every message of its room exactly once, in increasing id order.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuMicros } from './proc.mjs';
import { sentMicrosOf, textAt } from './wire.mjs';

const nowMicros = () => performance.now() * 1000;

/**
 * Starts measuring the server's CPU time (and the store's, when `storeCpu` reads it); `read()` answers the seconds
 * elapsed and the CPU microseconds each used since.
 */
async function cpuMeter(serverPid, storeCpu) {
  const storeBefore = (await storeCpu?.()) ?? 0;
  const t = performance.now();
  const cpu = cpuMicros(serverPid);
  return {
    async read() {
      const seconds = (performance.now() - t) / 1000;
      const serverCpu = cpuMicros(serverPid) - cpu;
      const store = storeCpu ? (await storeCpu()) - storeBefore : 0;
      return { seconds, serverCpu, store };
    },
  };
}
/**
 * The server's garbage collections between two readings of its hook (full = mark-compact; pauses are the main
 * thread's stop-the-world time only, not the concurrent marking and sweeping around them). Null if either is missing.
 */
function gcDelta(before, after) {
  if (!before || !after) return null;
  const round = (ms) => Math.round(ms * 100) / 100;
  return {
    full: after.major - before.major,
    fullPauseMs: round(after.majorMs - before.majorMs),
    young: after.minor - before.minor,
    youngPauseMs: round(after.minorMs - before.minorMs),
  };
}

/** p50/p99/p99.9/max in ms of latencies in microseconds, sorted ascending. */
export function percentiles(sortedMicros) {
  const n = sortedMicros.length;
  const at = (q) => (n ? sortedMicros[Math.min(n - 1, Math.floor(q * n))] / 1000 : null);
  return {
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    p999Ms: at(0.999),
    maxMs: n ? sortedMicros[n - 1] / 1000 : null,
    samples: n,
  };
}

const MAX_LATENCY_SAMPLES = 4_000_000;
/** Open-loop sending stops (and the rate counts as not sustained) beyond this many undelivered messages. */
const MAX_OPEN_BACKLOG = 20_000;

class Room {
  constructor(id) {
    this.id = id;
    /** @type {import('./wire.mjs').RawMember[]} */
    this.members = [];
    this.sent = 0;
    this.refused = 0;
    this.inFlight = 0;
    this.nextSender = 0;
    /** message id -> deliveries still missing. */
    this.pending = new Map();
  }
}

export class Load {
  /**
   * @param {{ MemberClass: typeof import('./wire.mjs').RawMember, baseUrl: string, roomIds: string[], membersPerRoom: number }} options
   */
  constructor({ MemberClass, baseUrl, roomIds, membersPerRoom }) {
    this.baseUrl = baseUrl;
    this.rooms = roomIds.map((id) => new Room(id));
    for (const room of this.rooms) {
      for (let i = 0; i < membersPerRoom; i++) room.members.push(new MemberClass(this, room, `m${i}`));
    }
    this.membersPerRoom = membersPerRoom;
    /** 'idle' | 'closed' (keep `window` messages in flight per room) | 'open' (timer-driven). */
    this.mode = 'idle';
    this.window = 1;
    this.deliveries = 0;
    this.recording = false;
    this.latencies = new Float64Array(MAX_LATENCY_SAMPLES);
    this.latencyCount = 0;
    this.failureCount = 0;
    this.joined = 0;
    this.joinRetries = 0;
    this.joinSeconds = 0;
    /** @type {string[]} */
    this.failures = [];
  }

  get memberCount() {
    return this.rooms.length * this.membersPerRoom;
  }

  /** Connects and joins every member, `concurrency` at a time. */
  async joinAll(concurrency = 50) {
    const started = performance.now();
    const queue = this.rooms.flatMap((room) => room.members);
    let next = 0;
    const worker = async () => {
      while (next < queue.length) {
        const member = queue[next++];
        for (let attempt = 1; ; attempt++) {
          try {
            await member.join(this.baseUrl);
            break;
          } catch (error) {
            // A refused or reset handshake (nothing joined yet) is retried twice and counted, never hidden.
            if (attempt === 3 || !/ECONNRESET|ECONNREFUSED|socket hang up/.test(String(error))) throw error;
            this.joinRetries++;
            member.close();
            member.closing = false;
          }
        }
        this.joined++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    this.joinSeconds = (performance.now() - started) / 1000;
  }

  // --- the sink the members report to -------------------------------------------------------------------------

  delivered(member, id, frame) {
    const expected = member.lastId + 1;
    if (id !== expected) {
      if (id < expected) {
        member.misordered++;
        return;
      }
      member.skipped += id - expected;
    }
    member.lastId = id;
    this.deliveries++;
    if (this.recording && this.latencyCount < MAX_LATENCY_SAMPLES) {
      this.latencies[this.latencyCount++] = nowMicros() - sentMicrosOf(frame);
    }
    const room = member.room;
    const missing = room.pending.get(id) ?? room.members.length;
    if (missing > 1) {
      room.pending.set(id, missing - 1);
      return;
    }
    room.pending.delete(id);
    room.inFlight--;
    if (this.mode === 'closed') this.pump(room);
  }

  failed(member, reason) {
    this.failureCount++;
    if (this.failures.length < 10) this.failures.push(`${member.room.id}/${member.nick}: ${reason}`);
    if (reason.startsWith('message:send refused')) {
      member.room.refused++;
      member.room.inFlight--;
    }
  }

  // --- sending -----------------------------------------------------------------------------------------------

  sendOne(room) {
    const member = room.members[room.nextSender];
    room.nextSender = (room.nextSender + 1) % room.members.length;
    room.sent++;
    room.inFlight++;
    member.send(textAt(nowMicros()));
  }

  pump(room) {
    while (room.inFlight < this.window) this.sendOne(room);
  }

  inFlight() {
    let total = 0;
    for (const room of this.rooms) total += room.inFlight;
    return total;
  }

  /** Acks the server still owes (socket.io servers answer every message:send). */
  pendingAcks() {
    let total = 0;
    for (const room of this.rooms) for (const member of room.members) total += member.acks?.size ?? 0;
    return total;
  }

  /** Waits until every sent message reached every member of its room and was acked (or the timeout). */
  async drain(timeoutMs) {
    this.mode = 'idle';
    const deadline = performance.now() + timeoutMs;
    const busy = () => this.inFlight() > 0 || this.pendingAcks() > 0;
    while (busy() && performance.now() < deadline) await sleep(20);
    return !busy();
  }

  /**
   * Closed loop: each room keeps `window` messages in flight (a message leaves flight when its last member got it).
   * Measures delivered messages per second and the server's CPU time over `measureMs` after `warmupMs`;
   * `storeCpu` (optional) reads the store's CPU time in microseconds (Redis INFO).
   */
  async saturate({ window, warmupMs, measureMs, serverPid, storeCpu }) {
    this.window = window;
    this.mode = 'closed';
    for (const room of this.rooms) this.pump(room);
    await sleep(warmupMs);
    const meter = await cpuMeter(serverPid, storeCpu);
    const start = { d: this.deliveries, gen: process.cpuUsage() };
    await sleep(measureMs);
    const { seconds, serverCpu, store } = await meter.read();
    const deliveries = this.deliveries - start.d;
    const gen = process.cpuUsage(start.gen);
    const drained = await this.drain(10_000);
    const perDelivery = (micros) => (deliveries > 0 ? micros / deliveries : null);
    return {
      deliveriesPerSec: deliveries / seconds,
      /** Server process CPU (user + system) per delivery, plus the store's (Redis) when it has one. */
      serverCpuMicrosPerDelivery: perDelivery(serverCpu + store),
      /** The same as a rate that does not depend on how much CPU other processes left the server. */
      deliveriesPerServerCpuSecond: serverCpu + store > 0 ? (deliveries * 1e6) / (serverCpu + store) : null,
      serverCpuPercent: (serverCpu / (seconds * 1e6)) * 100,
      ...(storeCpu
        ? { storeCpuMicrosPerDelivery: perDelivery(store), storeCpuPercent: (store / (seconds * 1e6)) * 100 }
        : {}),
      generatorCpuPercent: ((gen.user + gen.system) / (seconds * 1e6)) * 100,
      window,
      seconds,
      drained,
    };
  }

  /**
   * Open loop: messages at a fixed rate, spread over the rooms in turn; end-to-end latency of every delivery
   * (from the moment the generator sent the message to the moment a member's frame was read), and how busy the
   * server (and its store) was meanwhile.
   */
  async fixedRate({ deliveriesPerSec, warmupMs, measureMs, serverPid, storeCpu, gcStats }) {
    const messagesPerSec = deliveriesPerSec / this.membersPerRoom;
    this.mode = 'open';
    let sent = 0;
    let overloaded = false;
    const start = performance.now();
    const timer = setInterval(() => {
      const due = Math.floor(((performance.now() - start) * messagesPerSec) / 1000);
      if (this.inFlight() > MAX_OPEN_BACKLOG) {
        overloaded = true;
        return;
      }
      for (; sent < due; sent++) this.sendOne(this.rooms[sent % this.rooms.length]);
    }, 1);
    await sleep(warmupMs);
    this.latencyCount = 0;
    this.recording = true;
    const meter = await cpuMeter(serverPid, storeCpu);
    const gcBefore = gcStats?.();
    const begin = this.deliveries;
    await sleep(measureMs);
    this.recording = false;
    const { seconds, serverCpu, store } = await meter.read();
    const achieved = (this.deliveries - begin) / seconds;
    const gc = gcDelta(await gcBefore, await gcStats?.());
    clearInterval(timer);
    const drained = await this.drain(10_000);
    const samples = Float32Array.from(this.latencies.subarray(0, this.latencyCount)).sort();
    return {
      figures: {
        offeredDeliveriesPerSec: deliveriesPerSec,
        achievedDeliveriesPerSec: achieved,
        sustained: !overloaded && drained && achieved >= 0.97 * deliveriesPerSec,
        ...percentiles(samples),
        seconds,
        serverCpuPercent: (serverCpu / (seconds * 1e6)) * 100,
        ...(storeCpu ? { storeCpuPercent: (store / (seconds * 1e6)) * 100 } : {}),
        ...(gc ? { gc } : {}),
      },
      /** Every latency of the window in microseconds, sorted: the windows of several rounds pool into one. */
      samples,
    };
  }

  /** Loss and order over everything sent so far (call after a drain). */
  verify() {
    let messages = 0;
    let lost = 0;
    let misordered = 0;
    for (const room of this.rooms) {
      const accepted = room.sent - room.refused;
      messages += accepted;
      for (const member of room.members) {
        lost += member.skipped + Math.max(0, accepted - member.lastId);
        // Ids beyond what was sent are as wrong as late or repeated ones.
        misordered += member.misordered + Math.max(0, member.lastId - accepted);
      }
    }
    return {
      messages,
      deliveries: this.deliveries,
      expectedDeliveries: messages * this.membersPerRoom,
      lost,
      misordered,
      failures: this.failureCount + this.pendingAcks(),
      missingAcks: this.pendingAcks(),
      failureSamples:
        this.pendingAcks() > 0
          ? [...this.failures, `${this.pendingAcks()} message:send acks never came`]
          : this.failures,
      joinRetries: this.joinRetries,
    };
  }

  close() {
    for (const room of this.rooms) for (const member of room.members) member.close();
  }
}

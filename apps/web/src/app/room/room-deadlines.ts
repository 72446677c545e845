/** The room's two deadlines as plain numbers (ms since epoch): idle moves with activity, the maximum age never does. */
import type { Message } from '@tiny-chat/shared-types';

/** Every message is activity: the idle deadline becomes the newest sentAt + idleTimeoutSec, never earlier. */
export function idleDeadlineAfter(
  current: number | null,
  messages: readonly Message[],
  idleTimeoutSec: number,
): number | null {
  const newest = Math.max(...messages.map((m) => Date.parse(m.sentAt)).filter(Number.isFinite));
  return Number.isFinite(newest) ? latest(current, newest + idleTimeoutSec * 1000) : current;
}

export function latest(current: number | null, candidate: number): number {
  return current === null || candidate > current ? candidate : current;
}

export function timeLeft(deadline: number | null, now: number): number | null {
  return deadline === null ? null : Math.max(0, deadline - now);
}

/** The sooner of two optional spans. */
export function earliest(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

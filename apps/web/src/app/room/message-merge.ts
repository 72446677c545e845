/** Merging messages from acks, events and catch-up lists: one entry per id, ordered by id. */
import type { Message } from '@tiny-chat/shared-types';

export function mergeMessages(current: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return current as Message[];
  const last = current[current.length - 1];
  // The common case, one new message after the newest, stays O(1).
  if (incoming.length === 1 && incoming[0] && (!last || incoming[0].id > last.id)) return [...current, incoming[0]];
  const byId = new Map<number, Message>();
  for (const message of current) byId.set(message.id, message);
  for (const message of incoming) if (!byId.has(message.id)) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

export function highestId(messages: readonly Message[]): number {
  return messages.reduce((max, m) => (m.id > max ? m.id : max), 0);
}

/** Scenarios several suites run against their own set of instances (one Redis, or a Redis Cluster). */
import type { Message } from '@tiny-chat/shared-types';
import type { ChatClient } from './instances';
import { join, nextEvent, waitFor } from './test-server';

/**
 * Two senders on each instance send `perSender` messages each, all at once, into one room: every sender is
 * acknowledged and sees the same messages in the same order, ids 1..N without a gap.
 */
export async function expectOneOrder<T>(
  instances: T[],
  roomId: string,
  perSender: number,
  /** A connected client on the instance (the caller disconnects it at the end). */
  connect: (instance: T) => Promise<ChatClient>,
): Promise<void> {
  const senders = await Promise.all(instances.flatMap((instance) => [connect(instance), connect(instance)]));
  const inboxes = senders.map((client) => {
    const inbox: Message[] = [];
    client.on('message:new', (m) => inbox.push(m));
    return inbox;
  });
  const tokens: string[] = [];
  for (const [i, client] of senders.entries()) tokens.push((await join(client, roomId, `s${i}`)).userToken);
  const acks = await Promise.all(
    senders.flatMap((client, i) =>
      Array.from({ length: perSender }, (_, n) =>
        client.emitWithAck('message:send', { roomId, userToken: tokens[i]!, text: `${i}:${n}` }),
      ),
    ),
  );
  expect(acks.every((a) => a.ok)).toBe(true);
  const total = senders.length * perSender;
  await waitFor(() => inboxes.every((inbox) => inbox.length >= total), 20_000, 'deliveries on all instances');
  const reference = inboxes[0]!.map((m) => `${m.id}|${m.text}`);
  expect(inboxes[0]!.map((m) => m.id)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  for (const inbox of inboxes) expect(inbox.map((m) => `${m.id}|${m.text}`)).toEqual(reference);
}

/**
 * `attempts` rooms created at once, spread over the instances (which run with MAX_ROOMS=`cap` and a short idle
 * timeout): exactly `cap` are created, the rest refused 429. Members of one of them on every instance all hear
 * room:closed (idle), and the expired rooms free their places.
 */
export async function expectExactCapAndClose<T extends { url: string }>(
  instances: T[],
  attempts: number,
  cap: number,
  connect: (instance: T) => Promise<ChatClient>,
): Promise<void> {
  const responses = await Promise.all(
    Array.from({ length: attempts }, (_, i) =>
      fetch(`${instances[i % instances.length]!.url}/api/rooms`, { method: 'POST' }),
    ),
  );
  const statuses = responses.map((r) => r.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(cap);
  expect(statuses.filter((s) => s === 429)).toHaveLength(attempts - cap);
  const created = await Promise.all(
    responses.filter((r) => r.status === 201).map((r) => r.json() as Promise<{ roomId: string }>),
  );
  const roomId = created[0]!.roomId;
  const members = await Promise.all(instances.map((instance) => connect(instance)));
  for (const [i, client] of members.entries()) await join(client, roomId, `m${i}`);
  const closed = await Promise.all(members.map((client) => nextEvent(client, 'room:closed', 10_000)));
  expect(closed).toEqual(members.map(() => ({ roomId, reason: 'idle' })));
  // The expired rooms freed their places.
  expect((await fetch(`${instances[1 % instances.length]!.url}/api/rooms`, { method: 'POST' })).status).toBe(201);
}

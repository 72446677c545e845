/** Scenarios several suites run against their own set of instances (one Redis, or a Redis Cluster). */
import type { Message } from '@tiny-chat/shared-types';
import type { ChatClient } from './instances';
import { join, waitFor } from './test-server';

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

import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import { isEnvelope } from '@tiny-chat/shared-types';
import { startServer } from './global-setup';
import { composer, expect, messageList, sendMessage, test, watchForProblems } from './support';

/** Every value under `prefix` in Redis, as one string (strings, lists, hashes, sets, sorted sets). */
async function everythingStored(redis: Redis, prefix: string): Promise<{ keys: string[]; values: string }> {
  const keys = await redis.keys(`${prefix}*`);
  const values: string[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    if (type === 'string') values.push((await redis.get(key)) ?? '');
    else if (type === 'list') values.push(...(await redis.lrange(key, 0, -1)));
    else if (type === 'hash') values.push(...Object.entries(await redis.hgetall(key)).flat());
    else if (type === 'set') values.push(...(await redis.smembers(key)));
    else if (type === 'zset') values.push(...(await redis.zrange(key, 0, -1)));
  }
  return { keys, values: values.join('\n') };
}

test.describe('end-to-end encrypted rooms', () => {
  let server: { url: string; child: ChildProcess };
  let redis: Redis;
  const prefix = `e2e-encrypted-${randomUUID().slice(0, 8)}:`;

  test.beforeAll(async () => {
    // global-setup makes sure of a Redis (REDIS_URL, or one of its own).
    const redisUrl = process.env['REDIS_URL'];
    if (!redisUrl) throw new Error('REDIS_URL is not set: global-setup did not run');
    server = await startServer({ STORE: 'redis', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix });
    redis = new Redis(redisUrl);
  });
  test.afterAll(async () => {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  test('two people read each other in plaintext; a raw client and Redis see only envelopes', async ({ browser }) => {
    const ana = await (await browser.newContext()).newPage();
    const ben = await (await browser.newContext()).newPage();
    const problems = await watchForProblems(ana);

    await ana.goto(`${server.url}/`);
    await ana.getByLabel('Your nick').fill('Ana');
    await ana.getByLabel('Room title').fill('Secret plans');
    await ana.getByRole('switch', { name: 'End-to-end encrypted' }).check();
    await ana.getByRole('button', { name: 'Create a room' }).click();
    await expect(ana).toHaveURL(/\/r\/[A-Za-z0-9_-]{22}#k=[A-Za-z0-9_-]{43}$/);
    await expect(composer(ana)).toBeVisible();
    await expect(ana.locator('.room-title')).toHaveText('Secret plans');
    await expect(ana.getByRole('img', { name: 'End-to-end encrypted' })).toBeVisible();
    await expect(ana).toHaveTitle('Secret plans · tiny-chat');
    const roomUrl = ana.url();
    const roomId = new URL(roomUrl).pathname.split('/').pop() ?? '';
    // The invite link, its QR code and the share sheet carry the key.
    await expect(ana.locator('#share-link')).toHaveValue(roomUrl);

    await ben.goto(roomUrl);
    await ben.getByLabel('Your nick').fill('Ben');
    await ben.getByRole('button', { name: 'Join room' }).click();
    await expect(composer(ben)).toBeVisible();
    await expect(ben.locator('.room-title')).toHaveText('Secret plans');

    // A raw socket.io client in the same room: what any server-side observer gets.
    const eve: Socket = io(server.url, { transports: ['websocket'] });
    const eveSaw: string[] = [];
    eve.on('message:new', (m: { text: string }) => eveSaw.push(m.text));
    const joined = await eve.emitWithAck('room:join', { roomId, nick: 'Eve' });
    expect(joined.ok).toBe(true);
    expect(joined.data.encrypted).toBe(true);
    expect(isEnvelope(joined.data.title)).toBe(true);

    await sendMessage(ana, 'meet at noon 🌞');
    await expect(messageList(ben).getByRole('listitem').filter({ hasText: 'meet at noon 🌞' })).toBeVisible();
    await sendMessage(ben, 'bring the map\nand the torch');
    await expect(messageList(ana).getByRole('listitem').filter({ hasText: 'and the torch' })).toBeVisible();

    await expect.poll(() => eveSaw.length).toBe(2);
    for (const text of eveSaw) expect(isEnvelope(text)).toBe(true);
    const stored = await everythingStored(redis, prefix);
    expect(stored.keys.length).toBeGreaterThan(0);
    expect(stored.values).toContain('e1.');
    for (const secret of ['noon', 'map', 'torch', 'Secret plans']) expect(stored.values).not.toContain(secret);

    // A plaintext is refused; an envelope that does not open shows as such and breaks nothing.
    const plain = await eve.emitWithAck('message:send', { roomId, userToken: joined.data.userToken, text: 'hello' });
    expect(plain).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    const forged = `e1.${Buffer.alloc(12, 1).toString('base64url')}.${Buffer.alloc(24, 2).toString('base64url')}`;
    const sent = await eve.emitWithAck('message:send', { roomId, userToken: joined.data.userToken, text: forged });
    expect(sent.ok).toBe(true);
    const undecryptable = messageList(ana).locator('li.msg').filter({ hasText: 'could not be decrypted' });
    await expect(undecryptable).toContainText('Eve');
    await sendMessage(ana, 'still fine');
    await expect(messageList(ben).getByRole('listitem').filter({ hasText: 'still fine' })).toBeVisible();
    eve.disconnect();

    // A reload keeps the conversation readable (the fragment stays in the address bar).
    await ben.reload();
    await expect(messageList(ben).getByRole('listitem').filter({ hasText: 'meet at noon 🌞' })).toBeVisible();
    expect(problems.errors).toEqual([]);
  });

  test('a link without its key says so and offers no composer', async ({ browser }) => {
    const ana = await (await browser.newContext()).newPage();
    await ana.goto(`${server.url}/`);
    await ana.getByLabel('Your nick').fill('Ana');
    await ana.getByRole('switch', { name: 'End-to-end encrypted' }).check();
    await ana.getByRole('button', { name: 'Create a room' }).click();
    await expect(composer(ana)).toBeVisible();
    const keyless = ana.url().split('#')[0] ?? '';

    const ben = await (await browser.newContext()).newPage();
    await ben.goto(keyless);
    await expect(
      ben.getByRole('heading', { name: 'This room is end-to-end encrypted; the link you opened has no key' }),
    ).toBeVisible();
    await expect(composer(ben)).toHaveCount(0);
    await expect(ben.getByLabel('Your nick')).toHaveCount(0);
  });
});

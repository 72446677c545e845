import { isEnvelope, maxEnvelopeLength } from '@tiny-chat/shared-types';
import {
  decryptText,
  encryptText,
  fromBase64Url,
  generateRoomKey,
  importRoomKey,
  keyFromFragment,
  toBase64Url,
} from './room-crypto';

describe('room encryption', () => {
  it('seals a text into an envelope that opens only with the same key and the same room', async () => {
    const { key, encoded } = await generateRoomKey();
    expect(encoded).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const envelope = await encryptText(key, 'room-a', 'héllo 🌍\nsecond line');
    expect(isEnvelope(envelope)).toBe(true);
    expect(envelope).not.toContain('llo');
    expect(await decryptText(key, 'room-a', envelope)).toBe('héllo 🌍\nsecond line');
    // Moved to another room, or opened with another key: not readable.
    expect(await decryptText(key, 'room-b', envelope)).toBeNull();
    expect(await decryptText((await generateRoomKey()).key, 'room-a', envelope)).toBeNull();
    // The same key from its link form opens it too.
    const again = await importRoomKey(encoded);
    expect(again && (await decryptText(again.key, 'room-a', envelope))).toBe('héllo 🌍\nsecond line');
  });

  it('uses a fresh IV per text, and stays within the size the server allows', async () => {
    const { key } = await generateRoomKey();
    const a = await encryptText(key, 'r', 'same');
    const b = await encryptText(key, 'r', 'same');
    expect(a).not.toBe(b);
    const longest = await encryptText(key, 'r', '😀'.repeat(1000));
    expect(longest.length).toBeLessThanOrEqual(maxEnvelopeLength(1000));
  });

  it('reads nothing from malformed or tampered envelopes and malformed keys', async () => {
    const { key } = await generateRoomKey();
    const envelope = await encryptText(key, 'r', 'text');
    const tampered = envelope.slice(0, -2) + (envelope.endsWith('AA') ? 'BB' : 'AA');
    for (const bad of [tampered, 'e1.short.x', 'hello', '']) expect(await decryptText(key, 'r', bad)).toBeNull();
    for (const bad of ['', 'abc', 'A'.repeat(42), 'A'.repeat(44), '*'.repeat(43)])
      expect(await importRoomKey(bad)).toBeNull();
  });

  it('base64url round-trips any bytes, without padding', () => {
    const bytes = new Uint8Array([0, 255, 62, 63, 250, 1, 2]);
    const text = toBase64Url(bytes);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect([...(fromBase64Url(text) ?? [])]).toEqual([...bytes]);
    expect(fromBase64Url('a+b/')).toBeNull();
    expect(fromBase64Url('abcde')).toBeNull();
  });

  it('finds the key in a fragment, with or without the #, among other parameters', () => {
    expect(keyFromFragment('#k=abc')).toBe('abc');
    expect(keyFromFragment('x=1&k=abc')).toBe('abc');
    expect(keyFromFragment('')).toBeNull();
    expect(keyFromFragment(null)).toBeNull();
    expect(keyFromFragment('#k=')).toBeNull();
  });
});

import type { Message } from '@tiny-chat/shared-types';
import { boundedPage } from './message-pages';

const message = (id: number, text: string): Message => ({
  id,
  roomId: 'r',
  nick: 'n',
  memberId: 'p',
  text,
  sentAt: '2026-01-01T00:00:00.000Z',
});

describe('boundedPage', () => {
  const big = [1, 2, 3, 4].map((id) => message(id, 'é'.repeat(1000)));
  const size = Buffer.byteLength(JSON.stringify(big[0]));

  it('keeps the oldest messages that fit, in order, and says more follow', () => {
    expect(boundedPage(big, 2 * size + 10)).toEqual({ messages: big.slice(0, 2), hasMore: true });
  });

  it('counts UTF-8 bytes, not code units', () => {
    expect(size).toBeGreaterThan(2000);
    expect(boundedPage(big, 1500).messages).toHaveLength(1);
  });

  it('always returns at least one message, and all of them without a bound or when they fit', () => {
    expect(boundedPage(big, 1)).toEqual({ messages: big.slice(0, 1), hasMore: true });
    expect(boundedPage(big, 0)).toEqual({ messages: big, hasMore: false });
    expect(boundedPage(big, 4 * size)).toEqual({ messages: big, hasMore: false });
    expect(boundedPage([], 10)).toEqual({ messages: [], hasMore: false });
  });
});

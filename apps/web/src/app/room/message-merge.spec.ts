import type { Message } from '@tiny-chat/shared-types';
import { highestId, mergeMessages } from './message-merge';

const msg = (id: number, text = `m${id}`): Message => ({
  id,
  roomId: 'room',
  nick: 'ann',
  memberId: 'id-ann',
  text,
  sentAt: new Date(1_700_000_000_000 + id * 1000).toISOString(),
});

describe('mergeMessages', () => {
  it('appends a newer message', () => {
    expect(mergeMessages([msg(1), msg(2)], [msg(3)]).map((m) => m.id)).toEqual([1, 2, 3]);
  });

  it('drops a message it already has (event then ack of the same message)', () => {
    const merged = mergeMessages([msg(1), msg(2)], [msg(2, 'dup')]);
    expect(merged.map((m) => m.id)).toEqual([1, 2]);
    expect(merged[1]?.text).toBe('m2');
  });

  it('merges a join history that overlaps events that arrived before the ack, ordered by id', () => {
    const early = [msg(5), msg(6)];
    const history = [msg(3), msg(4), msg(5)];
    expect(mergeMessages(early, history).map((m) => m.id)).toEqual([3, 4, 5, 6]);
  });

  it('orders out-of-order arrivals by id', () => {
    expect(mergeMessages([msg(1), msg(4)], [msg(3), msg(2), msg(3)]).map((m) => m.id)).toEqual([1, 2, 3, 4]);
  });

  it('returns the same array when nothing arrives', () => {
    const current = [msg(1)];
    expect(mergeMessages(current, [])).toBe(current);
  });
});

describe('highestId', () => {
  it('is 0 for no messages and the largest id otherwise', () => {
    expect(highestId([])).toBe(0);
    expect(highestId([msg(2), msg(9), msg(4)])).toBe(9);
  });
});

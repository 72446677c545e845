import type { Message } from '@tiny-chat/shared-types';
import { earliest, idleDeadlineAfter, timeLeft } from './room-deadlines';

const at = (iso: string): Message => ({ id: 1, roomId: 'r', nick: 'n', memberId: 'id-n', text: 't', sentAt: iso });
const T = Date.parse('2026-03-01T10:00:00Z');

describe('idleDeadlineAfter', () => {
  it('moves the deadline to the newest sentAt plus the idle timeout', () => {
    const messages = [at('2026-03-01T10:00:30Z'), at('2026-03-01T10:01:00Z')];
    expect(idleDeadlineAfter(T + 60_000, messages, 300)).toBe(T + 60_000 + 300_000);
  });

  it('never moves it backwards (an old message from a catch-up list)', () => {
    expect(idleDeadlineAfter(T + 900_000, [at('2026-03-01T10:00:00Z')], 300)).toBe(T + 900_000);
  });

  it('keeps the deadline when no message has a readable time', () => {
    expect(idleDeadlineAfter(T, [at('not a date')], 300)).toBe(T);
    expect(idleDeadlineAfter(null, [], 300)).toBeNull();
  });
});

describe('timeLeft and earliest', () => {
  it('counts down to zero and not below', () => {
    expect(timeLeft(T + 5000, T)).toBe(5000);
    expect(timeLeft(T - 5000, T)).toBe(0);
    expect(timeLeft(null, T)).toBeNull();
  });

  it('picks the sooner of the idle and the maximum-age deadline', () => {
    expect(earliest(3000, 9000)).toBe(3000);
    expect(earliest(null, 9000)).toBe(9000);
    expect(earliest(3000, null)).toBe(3000);
    expect(earliest(null, null)).toBeNull();
  });
});

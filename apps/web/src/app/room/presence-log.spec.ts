import type { Member } from '@tiny-chat/shared-types';
import { toChatLines } from './chat-lines';
import { OFFLINE_NOTICE_MS, PresenceLog } from './presence-log';

const ann: Member = { nick: 'ann', online: true, memberId: 'ann-id' };
const bob: Member = { nick: 'bob', online: true, memberId: 'bob-id' };

function changes(log: PresenceLog): string[] {
  return log.list().map((e) => `${e.nick} ${e.change}`);
}

describe('PresenceLog', () => {
  it('says nothing about the members already there when we join, nor about ourselves', () => {
    const log = new PresenceLog(() => 'ann-id');
    log.reset([ann]);
    expect(log.update([ann, bob], 0, 0)).toBe(true);
    expect(log.update([ann], 0, 0)).toBe(true);
    expect(log.update([ann, { ...ann, memberId: 'ann-id' }], 0, 0)).toBe(false);
    expect(changes(log)).toEqual(['bob joined', 'bob left']);
  });

  it('mentions a member offline only after a minute, and their return only after that line', () => {
    const log = new PresenceLog(() => 'ann-id');
    log.reset([ann, bob]);
    log.update([ann, { ...bob, online: false }], 1000, 3);
    expect(log.tick(1000 + OFFLINE_NOTICE_MS - 1, 3)).toBe(false);
    log.update([ann, bob], 2000 + OFFLINE_NOTICE_MS - 1, 3);
    expect(changes(log)).toEqual([]);
    log.update([ann, { ...bob, online: false }], 5000, 4);
    expect(log.tick(5000 + OFFLINE_NOTICE_MS, 4)).toBe(true);
    expect(log.tick(9000 + OFFLINE_NOTICE_MS, 4)).toBe(false);
    log.update([ann, bob], 10_000 + OFFLINE_NOTICE_MS, 4);
    expect(changes(log)).toEqual(['bob offline', 'bob back']);
  });

  it('places its lines between the messages known when they happened, breaking a group, never stored', () => {
    const log = new PresenceLog(() => 'ann-id');
    log.reset([ann, bob]);
    log.update([ann], Date.parse('2026-03-01T10:00:30Z'), 1);
    const message = (id: number) => ({
      id,
      roomId: 'r',
      nick: 'ann',
      memberId: 'ann-id',
      text: `m${id}`,
      sentAt: `2026-03-01T10:00:${10 * id}Z`,
    });
    const lines = toChatLines([message(1), message(2)], [], { memberId: 'ann-id', nick: 'ann' }, [ann], 0, log.list());
    expect(lines.map((l) => [l.kind, l.text, l.grouped])).toEqual([
      ['message', 'm1', false],
      ['system', 'bob left', false],
      ['message', 'm2', false],
    ]);
  });
});

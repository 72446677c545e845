import type { Message } from '@tiny-chat/shared-types';
import { toChatLines } from './chat-lines';

function message(id: number, memberId: string, sentAt: string): Message {
  return { id, roomId: 'r', nick: memberId, memberId, text: `m${id}`, sentAt };
}

describe('toChatLines', () => {
  it("groups one member's messages within 5 minutes under one header, and starts a new one after", () => {
    const lines = toChatLines(
      [
        message(1, 'ann', '2026-03-01T10:00:00Z'),
        message(2, 'ann', '2026-03-01T10:05:00Z'),
        message(3, 'ann', '2026-03-01T10:10:01Z'),
        message(4, 'bob', '2026-03-01T10:10:02Z'),
        message(5, 'ann', '2026-03-01T10:10:03Z'),
      ],
      [],
      { memberId: 'ann', nick: 'ann' },
    );
    expect(lines.map((l) => l.grouped)).toEqual([false, true, false, false, false]);
  });

  it('shows the sent state on the last own message only, and on every own message still on its way or failed', () => {
    const lines = toChatLines(
      [message(1, 'ann', '2026-03-01T10:00:00Z'), message(2, 'ann', '2026-03-01T10:00:01Z')],
      [
        { clientMsgId: 'a', text: 'failed one', status: 'failed', error: 'no' },
        { clientMsgId: 'b', text: 'on its way', status: 'sending', error: null },
      ],
      { memberId: 'ann', nick: 'ann' },
    );
    expect(lines.map((l) => [l.status, l.showStatus])).toEqual([
      ['sent', false],
      ['sent', false],
      ['failed', true],
      ['sending', true],
    ]);
  });
});

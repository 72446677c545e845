import type { Message } from '@tiny-chat/shared-types';

import {
  olderMessagesDropped,
  type TranscriptInput,
  transcriptFileName,
  transcriptJson,
  transcriptText,
} from './transcript';

const ROOM_ID = 'abcdef123456789';

function message(id: number, nick: string, text: string, sentAt: string): Message {
  return { id, roomId: ROOM_ID, nick, memberId: `m-${nick}`, text, sentAt };
}

function input(overrides: Partial<TranscriptInput> = {}): TranscriptInput {
  return {
    room: { roomId: ROOM_ID, title: 'Friday plans', encrypted: false },
    messages: [
      message(1, 'Ana', 'hi all', '2024-03-05T21:59:01.000Z'),
      message(2, 'Ben', 'hello Ana', '2024-03-05T22:00:02.000Z'),
    ],
    exportedAt: Date.parse('2024-03-05T22:30:15.000Z'),
    olderDropped: false,
    ...overrides,
  };
}

describe('transcript text', () => {
  it('prints the header, a blank line and one line per message in local time (UTC+02:00)', () => {
    expect(transcriptText(input(), 120)).toBe(
      [
        'tiny-chat transcript: Friday plans',
        `Room: ${ROOM_ID}`,
        'Exported: 2024-03-06 00:30:15 UTC+02:00',
        'Times are local time (UTC+02:00).',
        '',
        '[2024-03-05 23:59:01] Ana: hi all',
        '[2024-03-06 00:00:02] Ben: hello Ana',
        '',
      ].join('\n'),
    );
  });

  it('applies a negative, half-hour offset (UTC-05:30)', () => {
    expect(transcriptText(input(), -330).split('\n')).toEqual([
      'tiny-chat transcript: Friday plans',
      `Room: ${ROOM_ID}`,
      'Exported: 2024-03-05 17:00:15 UTC-05:30',
      'Times are local time (UTC-05:30).',
      '',
      '[2024-03-05 16:29:01] Ana: hi all',
      '[2024-03-05 16:30:02] Ben: hello Ana',
      '',
    ]);
  });

  it('labels a zero offset UTC+00:00', () => {
    const lines = transcriptText(input(), 0).split('\n');
    expect(lines[2]).toBe('Exported: 2024-03-05 22:30:15 UTC+00:00');
    expect(lines[3]).toBe('Times are local time (UTC+00:00).');
  });

  it('uses the runtime offset of each instant when none is given', () => {
    const exported = input().exportedAt;
    const sameAsRuntime = transcriptText(input(), -new Date(exported).getTimezoneOffset());
    // Only the header is compared: in zones with daylight saving, message instants may carry another offset.
    expect(transcriptText(input()).split('\n').slice(0, 4)).toEqual(sameAsRuntime.split('\n').slice(0, 4));
  });

  it('indents the further lines of a multi-line message by two spaces, whatever the line break', () => {
    const messages = [message(1, 'Ana', 'first\r\nsecond\nthird\rfourth', '2024-03-05T21:59:01.000Z')];
    expect(transcriptText(input({ messages }), 0).split('\n').slice(5)).toEqual([
      '[2024-03-05 21:59:01] Ana: first',
      '  second',
      '  third',
      '  fourth',
      '',
    ]);
  });

  it('names an untitled room and says when it is end-to-end encrypted', () => {
    const lines = transcriptText(input({ room: { roomId: ROOM_ID, title: null, encrypted: true } }), 0).split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'tiny-chat transcript: (untitled room)',
      `Room: ${ROOM_ID} (end-to-end encrypted)`,
    ]);
  });

  it('notes after the header that older messages had dropped out', () => {
    const lines = transcriptText(input({ olderDropped: true }), 120).split('\n');
    expect(lines.slice(3, 6)).toEqual([
      'Times are local time (UTC+02:00).',
      "Older messages had already dropped out of the room's history and are not included.",
      '',
    ]);
    expect(transcriptText(input(), 120)).not.toContain('dropped out');
  });

  it('says (no messages) for an empty transcript', () => {
    expect(transcriptText(input({ messages: [] }), 120)).toBe(
      [
        'tiny-chat transcript: Friday plans',
        `Room: ${ROOM_ID}`,
        'Exported: 2024-03-06 00:30:15 UTC+02:00',
        'Times are local time (UTC+02:00).',
        '',
        '(no messages)',
        '',
      ].join('\n'),
    );
  });
});

describe('transcript json', () => {
  it('holds the room, the export instant in ISO, the dropped flag and the messages as given', () => {
    const given = input({
      room: { roomId: ROOM_ID, title: null, encrypted: true },
      messages: [{ ...message(3, 'Ana', 'two\nlines', '2024-03-05T21:59:01.000Z'), clientMsgId: 'c-1' }],
      olderDropped: true,
    });
    const json = transcriptJson(given);
    expect(json.endsWith('}\n')).toBe(true);
    expect(json).toContain('\n  "room": {');
    expect(JSON.parse(json)).toEqual({
      room: { roomId: ROOM_ID, title: null, encrypted: true },
      exportedAt: '2024-03-05T22:30:15.000Z',
      olderMessagesDropped: true,
      messages: [
        {
          id: 3,
          roomId: ROOM_ID,
          nick: 'Ana',
          memberId: 'm-Ana',
          text: 'two\nlines',
          sentAt: '2024-03-05T21:59:01.000Z',
          clientMsgId: 'c-1',
        },
      ],
    });
  });
});

describe('transcript file name', () => {
  it('uses the first 8 characters of the room id and the local export time, for both extensions', () => {
    const exportedAt = Date.parse('2024-03-05T22:30:15.000Z');
    expect(transcriptFileName(ROOM_ID, exportedAt, 'txt', -330)).toBe('tiny-chat-abcdef12-20240305-1700.txt');
    expect(transcriptFileName(ROOM_ID, exportedAt, 'json', -330)).toBe('tiny-chat-abcdef12-20240305-1700.json');
  });

  it('rolls the date over when the offset crosses midnight, either way', () => {
    expect(transcriptFileName(ROOM_ID, Date.parse('2024-03-05T22:30:15.000Z'), 'txt', 120)).toBe(
      'tiny-chat-abcdef12-20240306-0030.txt',
    );
    expect(transcriptFileName(ROOM_ID, Date.parse('2024-01-01T02:10:00.000Z'), 'json', -330)).toBe(
      'tiny-chat-abcdef12-20231231-2040.json',
    );
  });
});

describe('older messages dropped', () => {
  it('is true when the server said so or the first message held is past id 1', () => {
    const first = message(1, 'Ana', 'hi', '2024-03-05T21:59:01.000Z');
    const later = message(7, 'Ben', 'yo', '2024-03-05T22:00:02.000Z');
    expect(olderMessagesDropped([first, later], false)).toBe(false);
    expect(olderMessagesDropped([later], false)).toBe(true);
    expect(olderMessagesDropped([first], true)).toBe(true);
    expect(olderMessagesDropped([], false)).toBe(false);
    expect(olderMessagesDropped([], true)).toBe(true);
  });
});

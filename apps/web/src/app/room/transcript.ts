// The room's transcript export: the .txt and .json texts and their file name, worked out from what this browser holds.
import type { Message } from '@tiny-chat/shared-types';

export interface TranscriptRoom {
  roomId: string;
  title: string | null;
  encrypted: boolean;
}

export interface TranscriptInput {
  room: TranscriptRoom;
  /** Messages in id order, texts already decrypted (undecryptable ones carry the text "could not be decrypted"). */
  messages: readonly Message[];
  /** When the export was made (epoch ms). */
  exportedAt: number;
  /** Older messages had already dropped out of the room's history (or the first message held has id > 1). */
  olderDropped: boolean;
}

/** The wall clock at one instant, with the offset used, so every caller prints the same digits. */
interface LocalTime {
  year: string;
  month: string;
  day: string;
  hours: string;
  minutes: string;
  seconds: string;
  offsetMinutes: number;
}

const MINUTE_MS = 60_000;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/**
 * The local time at `at`: `utcOffsetMinutes` when given (tests stay deterministic), otherwise the runtime's offset at
 * that very instant, so a transcript crossing a daylight-saving change still shows the clock as it read then.
 */
function localTime(at: number, utcOffsetMinutes: number | undefined): LocalTime {
  const offsetMinutes = utcOffsetMinutes ?? -new Date(at).getTimezoneOffset();
  // Shifting the instant and reading its UTC fields gives the local wall clock without depending on the runtime zone.
  const shifted = new Date(at + offsetMinutes * MINUTE_MS);
  return {
    year: pad(shifted.getUTCFullYear(), 4),
    month: pad(shifted.getUTCMonth() + 1),
    day: pad(shifted.getUTCDate()),
    hours: pad(shifted.getUTCHours()),
    minutes: pad(shifted.getUTCMinutes()),
    seconds: pad(shifted.getUTCSeconds()),
    offsetMinutes,
  };
}

/** `YYYY-MM-DD HH:MM:SS`. */
function stamp(t: LocalTime): string {
  return `${t.year}-${t.month}-${t.day} ${t.hours}:${t.minutes}:${t.seconds}`;
}

/** `UTC+HH:MM` / `UTC-HH:MM`; zero is `UTC+00:00`. */
function offsetLabel(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** One message as lines: further lines are indented so a reader (or a script) can tell them from the next message. */
function messageLines(message: Message, utcOffsetMinutes: number | undefined): string[] {
  const [first = '', ...rest] = message.text.split(/\r\n|\n|\r/);
  const when = stamp(localTime(Date.parse(message.sentAt), utcOffsetMinutes));
  return [`[${when}] ${message.nick}: ${first}`, ...rest.map((line) => `  ${line}`)];
}

/** The .txt transcript: a header, a blank line, one line per message (continuation lines indented), a final newline. */
export function transcriptText(input: TranscriptInput, utcOffsetMinutes?: number): string {
  const { room, messages, exportedAt, olderDropped } = input;
  const exported = localTime(exportedAt, utcOffsetMinutes);
  const offset = offsetLabel(exported.offsetMinutes);
  const header = [
    `tiny-chat transcript: ${room.title ?? '(untitled room)'}`,
    `Room: ${room.roomId}${room.encrypted ? ' (end-to-end encrypted)' : ''}`,
    `Exported: ${stamp(exported)} ${offset}`,
    `Times are local time (${offset}).`,
  ];
  if (olderDropped) {
    // Said outright so nobody takes the file for the whole conversation.
    header.push("Older messages had already dropped out of the room's history and are not included.");
  }
  const body = messages.length === 0 ? ['(no messages)'] : messages.flatMap((m) => messageLines(m, utcOffsetMinutes));
  return [...header, '', ...body].join('\n') + '\n';
}

/** The .json transcript: the messages exactly as held, with the room and the export's context beside them. */
export function transcriptJson(input: TranscriptInput): string {
  const { room, messages, exportedAt, olderDropped } = input;
  const transcript = {
    room: { roomId: room.roomId, title: room.title, encrypted: room.encrypted },
    // ISO (UTC) rather than epoch ms: readable, and the same form as each message's sentAt.
    exportedAt: new Date(exportedAt).toISOString(),
    olderMessagesDropped: olderDropped,
    messages,
  };
  return JSON.stringify(transcript, null, 2) + '\n';
}

/** `tiny-chat-<first 8 of roomId>-<YYYYMMDD-HHMM>.<ext>`, local time, so two exports of one room sort by when. */
export function transcriptFileName(
  roomId: string,
  exportedAt: number,
  ext: 'txt' | 'json',
  utcOffsetMinutes?: number,
): string {
  const t = localTime(exportedAt, utcOffsetMinutes);
  return `tiny-chat-${roomId.slice(0, 8)}-${t.year}${t.month}${t.day}-${t.hours}${t.minutes}.${ext}`;
}

/** Whether the transcript starts after the room's first message: the server said so, or ids start past 1. */
export function olderMessagesDropped(messages: readonly Message[], truncatedSeen: boolean): boolean {
  const first = messages[0];
  return truncatedSeen || (first !== undefined && first.id > 1);
}

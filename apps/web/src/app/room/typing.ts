/** Who is typing in the room, from room:typing events: shown for TYPING_SHOWN_MS after each, or until their message. */

/** How long a room:typing keeps its member in the line. */
export const TYPING_SHOWN_MS = 5000;
/** How often the composer says so while it holds text (the server relays one a second per member at most). */
export const TYPING_SEND_EVERY_MS = 2000;

export interface Typist {
  nick: string;
  /** Until when (epoch ms) the line shows this member. */
  until: number;
}

/** The typists after a room:typing from `nick` at `now` (one entry per nick, the newest deadline). */
export function withTypist(typists: readonly Typist[], nick: string, now: number): Typist[] {
  return [...typists.filter((t) => t.nick !== nick && t.until > now), { nick, until: now + TYPING_SHOWN_MS }];
}

/** The typists without the authors of these messages (their message arrived: they are done typing it). */
export function withoutAuthors(typists: readonly Typist[], nicks: readonly string[]): readonly Typist[] {
  if (typists.length === 0) return typists;
  const done = new Set(nicks);
  const left = typists.filter((t) => !done.has(t.nick));
  return left.length === typists.length ? typists : left;
}

/** "Ana is typing...", "Ana and Ben are typing...", "3 people are typing..." or '' (nobody, at `now`). */
export function typingLine(typists: readonly Typist[], now: number): string {
  const nicks = typists.filter((t) => t.until > now).map((t) => t.nick);
  if (nicks.length === 0) return '';
  if (nicks.length === 1) return `${nicks[0]} is typing...`;
  if (nicks.length === 2) return `${nicks[0]} and ${nicks[1]} are typing...`;
  return `${nicks.length} people are typing...`;
}

/** @nick mentions of current members in message text, and the composer's @nick autocomplete (query, candidates). */

import { countCodePoints, MAX_NICK_LENGTH } from '@tiny-chat/shared-types';
import { splitLinks } from './ui/link-segments';

export type MentionSegment =
  | { kind: 'text'; text: string }
  | { kind: 'mention'; text: string; nick: string; me: boolean };

/** A letter, digit or underscore: no mention starts right after one or stops right before one ("x@ana", "@Anabel"). */
const WORD_CHAR = /[\p{L}\p{N}_]/u;
/** A line break ends the composer's mention query: a nick is one line. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** Most nicks offered at once by the autocomplete: a short list stays readable above the composer. */
const DEFAULT_MENTION_CANDIDATES = 6;

interface Member {
  nick: string;
  key: string;
}

/**
 * Splits plain text into text and mention segments; `nicks` = current members' nicks; `myNick` marks me.
 * Apply it to the 'text' segments of splitLinks only, so an "@" inside a link never becomes a mention.
 * Empty text gives [] (as splitLinks does), so callers need no empty segment check.
 */
export function splitMentions(text: string, nicks: readonly string[], myNick: string): MentionSegment[] {
  if (!text) return [];
  const members = longestFirst(nicks);
  const myKey = keyOf(myNick);
  const segments: MentionSegment[] = [];
  let cursor = 0;
  let at = members.length ? text.indexOf('@') : -1;
  while (at !== -1) {
    const member = memberMentionedAt(text, at, members);
    if (member) {
      const end = at + 1 + member.nick.length;
      if (at > cursor) segments.push({ kind: 'text', text: text.slice(cursor, at) });
      // The text stays as written (the case the author typed); `nick` is the member's own spelling.
      segments.push({ kind: 'mention', text: text.slice(at, end), nick: member.nick, me: member.key === myKey });
      cursor = end;
    }
    at = text.indexOf('@', member ? cursor : at + 1);
  }
  if (cursor < text.length) segments.push({ kind: 'text', text: text.slice(cursor) });
  return segments;
}

/**
 * Whether the text mentions myNick (myNick among current members is assumed; pass nicks incl. mine).
 * Links are skipped exactly as when rendering, so a highlight or notification never fires for an "@" nobody sees as a
 * mention (https://x.y/@ana).
 */
export function mentionsMe(text: string, nicks: readonly string[], myNick: string): boolean {
  if (!text.includes('@')) return false;
  return splitLinks(text).some(
    (segment) =>
      segment.kind === 'text' &&
      splitMentions(segment.text, nicks, myNick).some((part) => part.kind === 'mention' && part.me),
  );
}

/**
 * The `@query` being typed at the caret: the '@' must start the text or follow whitespace, and the query is the text
 * from after '@' to the caret. null when not in a mention: a line break in between, more than MAX_NICK_LENGTH code
 * points (no nick is longer), or a query starting with whitespace ("@ " is an at sign, not a mention being typed).
 */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  if (!Number.isInteger(caret) || caret <= 0 || caret > text.length) return null;
  const start = text.lastIndexOf('@', caret - 1);
  if (start === -1) return null;
  if (start > 0 && !/\s/.test(text.charAt(start - 1))) return null;
  const query = text.slice(start + 1, caret);
  if (LINE_BREAK.test(query) || /^\s/.test(query) || countCodePoints(query) > MAX_NICK_LENGTH) return null;
  return { start, query };
}

/**
 * Member nicks offered for a query: case-insensitive prefix matches first (alphabetical), then other substring
 * matches (alphabetical); never myNick; at most `limit`; empty query offers all (alphabetical). Equal nicks once.
 */
export function mentionCandidates(
  query: string,
  nicks: readonly string[],
  myNick: string,
  limit = DEFAULT_MENTION_CANDIDATES,
): string[] {
  const queryKey = keyOf(query);
  const myKey = keyOf(myNick);
  const prefixed: string[] = [];
  const containing: string[] = [];
  for (const nick of new Set(nicks)) {
    if (!nick) continue;
    const key = keyOf(nick);
    // Compared by key: the server keeps nick keys unique per room, so no other member can share mine.
    if (key === myKey) continue;
    if (key.startsWith(queryKey)) prefixed.push(nick);
    else if (key.includes(queryKey)) containing.push(nick);
  }
  return [...prefixed.sort(byName), ...containing.sort(byName)].slice(0, Math.max(0, limit));
}

/** Replaces `@query` (from start to caret) by `@<nick> `; answers the new text and the caret after that space. */
export function completeMention(
  text: string,
  start: number,
  caret: number,
  nick: string,
): { text: string; caret: number } {
  const inserted = `@${nick} `;
  return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
}

/**
 * Case-insensitive comparison key: NFKC then lower case. Not the server's nickKey, which also folds look-alikes
 * ("@admin" must not highlight a member whose nick only looks like it).
 */
function keyOf(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Distinct non-empty nicks, longest first, so "@Ana Maria" finds "Ana Maria" before "Ana". */
function longestFirst(nicks: readonly string[]): Member[] {
  return [...new Set(nicks)]
    .filter((nick) => nick.length > 0)
    .sort((a, b) => b.length - a.length)
    .map((nick) => ({ nick, key: keyOf(nick) }));
}

/**
 * The member mentioned by the "@" at `at`, if any. Each nick is compared against the same number of UTF-16 units of
 * text, normalized on both sides: no regular expression is built from nicks (they may hold "." or "+"), and a case
 * mapping that changes length (ß, İ) cannot shift the match.
 */
function memberMentionedAt(text: string, at: number, members: readonly Member[]): Member | null {
  if (WORD_CHAR.test(codePointBefore(text, at))) return null;
  const from = at + 1;
  for (const member of members) {
    const end = from + member.nick.length;
    if (end > text.length) continue;
    if (keyOf(text.slice(from, end)) !== member.key) continue;
    if (WORD_CHAR.test(codePointFrom(text, end))) continue;
    return member;
  }
  return null;
}

/** The whole code point ending at `index` (both halves of a surrogate pair), or '' at the start. */
function codePointBefore(text: string, index: number): string {
  if (index <= 0) return '';
  const low = text.charCodeAt(index - 1);
  const high = index >= 2 ? text.charCodeAt(index - 2) : 0;
  const pair = low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff;
  return text.slice(pair ? index - 2 : index - 1, index);
}

/** The whole code point starting at `index`, or '' at the end. */
function codePointFrom(text: string, index: number): string {
  const codePoint = text.codePointAt(index);
  return codePoint === undefined ? '' : String.fromCodePoint(codePoint);
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Alphabetical for people (locale-aware, case-blind), then by code units: the order never depends on input order. */
function byName(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

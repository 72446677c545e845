/**
 * Text rules both sides apply the same way: lengths are Unicode code points,
 * never UTF-16 units or bytes.
 */
export function countCodePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/**
 * Characters that render as nothing even though Unicode calls them letters or symbols: the Braille blank and the
 * Hangul fillers (which are also default-ignorable).
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/gu;
/** A visible base: a letter, digit, symbol or punctuation (marks, spaces and controls alone show nothing). */
const VISIBLE_BASE = /[\p{L}\p{N}\p{S}\p{P}]/u;

/** Text that renders as nothing: no visible letter, digit, symbol or punctuation (Braille blanks, fillers, marks only). */
export function isBlankText(text: string): boolean {
  return !VISIBLE_BASE.test(text.replace(INVISIBLE, ''));
}

/** True when the string has a lone surrogate, which no UTF-8 encoding can carry. */
export function hasLoneSurrogate(text: string): boolean {
  return /\p{Surrogate}/u.test(text);
}

export const DEFAULT_MAX_MESSAGE_LENGTH = 1000;
export const MAX_NICK_LENGTH = 32;

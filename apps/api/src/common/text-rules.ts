/** The domain rules for nicks and message texts (code points, not UTF-16 units). */
import { countCodePoints, hasLoneSurrogate, isBlankText, MAX_NICK_LENGTH } from '@tiny-chat/shared-types';
import unhomoglyph from 'unhomoglyph';
import {
  MessageEmptyError,
  MessageInvalidError,
  MessageTooLongError,
  NickInvalidError,
  ValidationError,
} from './domain-errors';

/**
 * Control (Cc), format (Cf: zero-width, bidi controls, BOM), line/paragraph separators, surrogates, unassigned, and
 * what renders as nothing or changes nothing visible: default-ignorables (variation selectors, U+034F, the Hangul
 * fillers U+115F, U+1160, U+3164, U+FFA0) and the Braille blank U+2800.
 */
const FORBIDDEN_IN_NICK = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Cn}\p{Default_Ignorable_Code_Point}\u2800]/u;
/** C0 and C1 controls except TAB and LF. */
const FORBIDDEN_CONTROL_IN_TEXT = /(?![\t\n])\p{Cc}/u;
/** Combining marks one base character may carry (counted in NFD); more is "Zalgo" text that paints over the lines around it. */
export const MAX_MARKS_PER_CHARACTER = 4;
const TOO_MANY_MARKS = new RegExp(`\\p{M}{${MAX_MARKS_PER_CHARACTER + 1}}`, 'u');

export interface NormalizedNick {
  nick: string;
  nickKey: string;
}

export function normalizeNick(raw: string): NormalizedNick {
  if (hasLoneSurrogate(raw)) throw new NickInvalidError('Nick contains an ill-formed character');
  const nick = raw.normalize('NFKC').trim();
  const length = countCodePoints(nick);
  if (length === 0) throw new NickInvalidError('Nick is empty');
  if (length > MAX_NICK_LENGTH) throw new NickInvalidError(`Nick is longer than ${MAX_NICK_LENGTH} characters`);
  if (FORBIDDEN_IN_NICK.test(nick)) throw new NickInvalidError('Nick contains invisible or control characters');
  if (isBlankText(nick)) throw new NickInvalidError('Nick has no visible letter, digit, symbol or punctuation');
  if (TOO_MANY_MARKS.test(nick.normalize('NFD')))
    throw new NickInvalidError('Nick stacks too many marks on one character');
  return { nick, nickKey: nickKeyOf(nick) };
}

/**
 * The uniqueness key: NFKC + case fold, then the UTS #39 confusable skeleton (NFD, Unicode's confusables.txt
 * mapping, NFD), folded again because the skeleton maps to some capitals (0 -> O). `аdmin` (Cyrillic а) and `admіn`
 * (Ukrainian і) get the key of `admin`.
 */
export function nickKeyOf(nick: string): string {
  const skeleton = unhomoglyph(foldCase(nick).normalize('NFD')).normalize('NFD');
  return foldCase(skeleton);
}

/** NFKC + case fold; upper-then-lower also folds ß to ss and similar. */
function foldCase(text: string): string {
  return text.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/** Accepts the text unchanged or throws the precise error. */
export function assertMessageText(text: string, maxLength: number): void {
  // Code points never outnumber UTF-16 units, so short strings skip the count.
  if (text.length > maxLength && countCodePoints(text) > maxLength) throw new MessageTooLongError(maxLength);
  if (hasLoneSurrogate(text)) throw new ValidationError('text is not well-formed Unicode');
  if (FORBIDDEN_CONTROL_IN_TEXT.test(text)) throw new MessageInvalidError('Message contains control characters');
  if (TOO_MANY_MARKS.test(text.normalize('NFD'))) {
    throw new MessageInvalidError(`Message stacks more than ${MAX_MARKS_PER_CHARACTER} marks on one character`);
  }
  if (isBlankText(text)) throw new MessageEmptyError();
}

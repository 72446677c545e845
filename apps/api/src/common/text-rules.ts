/** The domain rules for nicks and message texts (code points, not UTF-16 units). */
import {
  countCodePoints,
  hasLoneSurrogate,
  isBlankText,
  isEnvelope,
  MAX_NICK_LENGTH,
  MAX_TITLE_LENGTH,
  maxEnvelopeLength,
} from '@tiny-chat/shared-types';
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

/**
 * Control, format (bidi controls, zero-width characters, BOM), separator and unassigned code points, and
 * default-ignorables except the two emoji need: U+FE0F (emoji presentation) and U+200D between two pictographs
 * (a ZWJ sequence such as a family emoji).
 */
const FORBIDDEN_IN_TITLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Cn}\p{Default_Ignorable_Code_Point}]/u;
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic})/gu;

/** A plain room's title: NFKC, trimmed, 1 to MAX_TITLE_LENGTH code points, nothing invisible; else VALIDATION_ERROR. */
export function normalizeTitle(raw: string): string {
  if (hasLoneSurrogate(raw)) throw new ValidationError('title is not well-formed Unicode');
  const title = raw.normalize('NFKC').trim();
  const length = countCodePoints(title);
  if (length === 0) throw new ValidationError('title is empty');
  if (length > MAX_TITLE_LENGTH) throw new ValidationError(`title is longer than ${MAX_TITLE_LENGTH} characters`);
  const visible = title.replace(EMOJI_JOINER, '').replace(/\uFE0F/gu, '');
  if (FORBIDDEN_IN_TITLE.test(visible) || isBlankText(title))
    throw new ValidationError('title contains control, bidi or other invisible characters');
  return title;
}

/** An encrypted room's title: an envelope no longer than MAX_TITLE_LENGTH code points of plaintext can produce. */
export function assertTitleEnvelope(title: string): void {
  if (!isEnvelope(title) || title.length > maxEnvelopeLength(MAX_TITLE_LENGTH))
    throw new ValidationError('title of an encrypted room must be an e1 envelope of at most 64 characters');
}

/**
 * What a message text is in either kind of room: the error a plain room answers (null: a valid plain text), and the
 * error an encrypted room answers, made only when asked (null: a valid envelope within what MAX_MESSAGE_LENGTH code
 * points produce). Nothing is allocated for a valid plain text that is no envelope, the common case.
 */
export interface TextVerdict {
  plainError: Error | null;
  envelopeError: (() => Error) | null;
}

const NOT_AN_ENVELOPE = () => new ValidationError('text in an encrypted room must be an e1 envelope');
/** The common verdict, shared: a valid plain text that is no envelope. */
const PLAIN_ONLY: TextVerdict = Object.freeze({ plainError: null, envelopeError: NOT_AN_ENVELOPE });

export function judgeText(text: string, maxLength: number): TextVerdict {
  let plainError: Error | null = null;
  try {
    assertMessageText(text, maxLength);
  } catch (error) {
    plainError = error as Error;
  }
  if (!isEnvelope(text)) return plainError ? { plainError, envelopeError: NOT_AN_ENVELOPE } : PLAIN_ONLY;
  if (text.length > maxEnvelopeLength(maxLength))
    return { plainError, envelopeError: () => new MessageTooLongError(maxLength) };
  return { plainError, envelopeError: null };
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

/** The domain rules for nicks and message texts (code points, not UTF-16 units). */
import { countCodePoints, hasLoneSurrogate, isBlankText, MAX_NICK_LENGTH } from '@tiny-chat/shared-types';
import { MessageEmptyError, MessageTooLongError, NickInvalidError, ValidationError } from './domain-errors';

/** Control (Cc), format (Cf: zero-width, bidi controls, BOM), line/paragraph separators, surrogates, unassigned. */
const FORBIDDEN_IN_NICK = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Cn}]/u;

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
  return { nick, nickKey: nickKeyOf(nick) };
}

/** NFKC + case fold; upper-then-lower also folds ß to ss and similar. */
export function nickKeyOf(nick: string): string {
  return nick.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/** Accepts the text unchanged or throws the precise error. */
export function assertMessageText(text: string, maxLength: number): void {
  // Code points never outnumber UTF-16 units, so short strings skip the count.
  if (text.length > maxLength && countCodePoints(text) > maxLength) throw new MessageTooLongError(maxLength);
  if (hasLoneSurrogate(text)) throw new ValidationError('text is not well-formed Unicode');
  if (isBlankText(text)) throw new MessageEmptyError();
}

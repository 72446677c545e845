/** The nick length rule as the server counts it: code points of the NFKC form, trimmed. */
import { countCodePoints, MAX_NICK_LENGTH } from '@tiny-chat/shared-types';

export function nickLength(nick: string): number {
  return countCodePoints(nick.normalize('NFKC').trim());
}

/** Cuts typed or pasted text to the longest start the server accepts as to length (never inside a pair). */
export function limitNick(nick: string, max = MAX_NICK_LENGTH): string {
  if (nickLength(nick) <= max) return nick;
  const points = [...nick];
  let end = Math.min(points.length, max);
  while (end > 0 && nickLength(points.slice(0, end).join('')) > max) end--;
  return points.slice(0, end).join('');
}

/** When the composer may send: counted in code points against the server's limit, never blank. */
import { countCodePoints, isBlankText } from '@tiny-chat/shared-types';

export interface ComposerCheck {
  count: number;
  max: number;
  over: boolean;
  blank: boolean;
  canSend: boolean;
}

export function checkComposer(text: string, max: number): ComposerCheck {
  const count = countCodePoints(text);
  const over = count > max;
  const blank = isBlankText(text);
  return { count, max, over, blank, canSend: !over && !blank };
}

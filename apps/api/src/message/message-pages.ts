/** One reply's share of messages: at most LIST_MAX_BYTES of them, oldest first, so no reply grows with the history. */
import type { Message } from '@tiny-chat/shared-types';

export interface BoundedPage {
  messages: Message[];
  /** True when messages after the last one returned were left for the next page. */
  hasMore: boolean;
}

/**
 * The oldest messages whose JSON (UTF-8) fits in `maxBytes`; always at least one, so a client paging by the last id
 * it got moves on. `maxBytes` 0: no bound.
 */
export function boundedPage(messages: Message[], maxBytes: number): BoundedPage {
  if (maxBytes === 0) return { messages, hasMore: false };
  let bytes = 0;
  for (let i = 0; i < messages.length; i++) {
    bytes += Buffer.byteLength(JSON.stringify(messages[i]));
    if (bytes > maxBytes && i > 0) return { messages: messages.slice(0, i), hasMore: true };
  }
  return { messages, hasMore: false };
}

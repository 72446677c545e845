/** One pure mapping from every error code (contract and client-only) to a sentence a person understands. */
import { MAX_NICK_LENGTH } from '@tiny-chat/shared-types';
import type { ClientError } from './client-error';

type Sentence = (error: ClientError) => string;

// A Record over the whole union: a new code in error-codes.ts fails the build until it has a sentence.
const SENTENCES: Record<ClientError['code'], Sentence> = {
  ROOM_NOT_FOUND: () => 'This room does not exist or has expired.',
  ROOM_LIMIT_REACHED: (e) => `The server has too many open rooms right now. Try again ${retryWhen(e.retryAfterMs)}.`,
  ROOM_FULL: () => 'This room is full. Ask someone to leave, or create a new room.',
  NICK_TAKEN: () => 'Someone in this room already uses that nick. Pick another one.',
  NICK_INVALID: () => `That nick cannot be used. Pick 1 to ${MAX_NICK_LENGTH} visible characters on one line.`,
  MESSAGE_EMPTY: () => 'Write something before sending.',
  MESSAGE_INVALID: () =>
    'That message has control characters or too many accents stacked on one letter. Remove them and send again.',
  MESSAGE_TOO_LONG: () => 'That message is too long. Shorten it and send again.',
  TOKEN_INVALID: () => 'Your place in this room has expired. Pick a nick to join again.',
  RATE_LIMITED: (e) => `You are sending too fast. Try again ${retryWhen(e.retryAfterMs)}.`,
  VALIDATION_ERROR: () => 'The server did not accept that request.',
  NOT_FOUND: () => 'The server does not know that address. Reload the page and try again.',
  UNAUTHORIZED: () => 'The server asked for credentials this page does not have.',
  ORIGIN_NOT_ALLOWED: () => 'This server does not take requests from the site this page came from.',
  UNSUPPORTED_MEDIA_TYPE: () => 'The server did not accept the format of that request.',
  PAYLOAD_TOO_LARGE: () => 'That request was too large for the server.',
  STORE_UNAVAILABLE: (e) => `The server cannot store anything right now. Try again ${retryWhen(e.retryAfterMs)}.`,
  SHUTTING_DOWN: (e) => `The server is restarting. Try again ${retryWhen(e.retryAfterMs)}.`,
  INTERNAL: () => 'Something went wrong on the server. Try again.',
  AUTH_REQUIRED: () => 'Sign in first: this server lets signed-in people create and join rooms.',
  NOT_ROOM_OWNER: () => 'Only the person who created this room can close it.',
  CSRF_REJECTED: () => 'That request came from another site, so it was refused. Use this page instead.',
  DISCONNECTED: () => 'Not connected to the server. Check your connection and try again.',
  TIMEOUT: () => 'The server did not answer in time. Try again.',
  NETWORK: () => 'Could not reach the server. Check your connection and try again.',
};

export function errorSentence(error: ClientError): string {
  return SENTENCES[error.code](error);
}

/** "in 3 seconds" style wording for retryAfterMs; "in a moment" when the server gave no hint. */
export function retryWhen(retryAfterMs: number | undefined): string {
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs) || retryAfterMs <= 0) return 'in a moment';
  const seconds = Math.ceil(retryAfterMs / 1000);
  if (seconds === 1) return 'in 1 second';
  if (seconds < 60) return `in ${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? 'in 1 minute' : `in ${minutes} minutes`;
}

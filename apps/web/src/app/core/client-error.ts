/** Errors the app can show: the contract's codes plus the ones only the client can see. */
import type { ErrorCode } from '@tiny-chat/shared-types';

export type ClientOnlyErrorCode = 'DISCONNECTED' | 'TIMEOUT' | 'NETWORK';

export interface ClientError {
  code: ErrorCode | ClientOnlyErrorCode;
  message: string;
  retryAfterMs?: number;
}

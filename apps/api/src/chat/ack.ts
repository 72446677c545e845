/** Turns a handler's outcome into the one ack shape. */
import { Logger } from '@nestjs/common';
import type { Ack } from '@tiny-chat/shared-types';
import { DomainError } from '../common/domain-errors';
import { toAckError } from '../common/error-mapping';

const logger = new Logger('ChatAck');

export async function respond<T>(work: () => Promise<T>): Promise<Ack<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (error) {
    if (!(error instanceof DomainError)) logger.error(error instanceof Error ? error.stack : String(error));
    return { ok: false, error: toAckError(error) };
  }
}

/** The ack callback of a raw socket.io packet, if the client sent one. */
export function ackOf(args: unknown[]): ((response: Ack<never>) => void) | undefined {
  const last = args[args.length - 1];
  return typeof last === 'function' ? (last as (response: Ack<never>) => void) : undefined;
}

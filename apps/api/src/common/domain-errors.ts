/** Domain errors with stable codes; only the REST filter and the gateway map them to HTTP or acks. */
import type { ErrorCode } from '@tiny-chat/shared-types';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class RoomNotFoundError extends DomainError {
  constructor() {
    super('ROOM_NOT_FOUND', 'Room not found or expired');
  }
}

export class RoomLimitReachedError extends DomainError {
  constructor(retryAfterMs: number) {
    super('ROOM_LIMIT_REACHED', 'Too many live rooms; try again later', retryAfterMs);
  }
}

export class NickTakenError extends DomainError {
  constructor() {
    super('NICK_TAKEN', 'That nick is already used in this room');
  }
}

export class NickInvalidError extends DomainError {
  constructor(reason: string) {
    super('NICK_INVALID', reason);
  }
}

export class TokenInvalidError extends DomainError {
  constructor() {
    super('TOKEN_INVALID', 'Unknown user token for this room');
  }
}

export class MessageEmptyError extends DomainError {
  constructor() {
    super('MESSAGE_EMPTY', 'Message is empty');
  }
}

export class MessageInvalidError extends DomainError {
  constructor(reason: string) {
    super('MESSAGE_INVALID', reason);
  }
}

export class MessageTooLongError extends DomainError {
  constructor(max: number) {
    super('MESSAGE_TOO_LONG', `Message is longer than ${max} characters`);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string) {
    super('VALIDATION_ERROR', message);
  }
}

export class RouteNotFoundError extends DomainError {
  constructor() {
    super('NOT_FOUND', 'No such route');
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message: string) {
    super('UNAUTHORIZED', message);
  }
}

export class OriginNotAllowedError extends DomainError {
  constructor() {
    super('ORIGIN_NOT_ALLOWED', 'Origin not allowed');
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor() {
    super('UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type');
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor() {
    super('PAYLOAD_TOO_LARGE', 'Request body too large');
  }
}

export class StoreUnavailableError extends DomainError {
  constructor() {
    super('STORE_UNAVAILABLE', 'The room store is unavailable; try again shortly');
  }
}

export class RateLimitedError extends DomainError {
  constructor(retryAfterMs: number) {
    super('RATE_LIMITED', 'Too many requests; slow down', retryAfterMs);
  }
}

export class RoomFullError extends DomainError {
  constructor() {
    super('ROOM_FULL', 'This room has reached its member limit');
  }
}

/** This instance is draining: the work is refused here, to be sent again to an instance that is not shutting down. */
export class ShuttingDownError extends DomainError {
  constructor() {
    super('SHUTTING_DOWN', 'This server is shutting down; try again shortly', 1000);
  }
}

/** The route or room needs a signed-in user (AUTH_MODE=oidc). */
export class AuthRequiredError extends DomainError {
  constructor() {
    super('AUTH_REQUIRED', 'Sign in first');
  }
}

/** Neither the owner key nor the signed-in creator of the room. */
export class NotRoomOwnerError extends DomainError {
  constructor() {
    super('NOT_ROOM_OWNER', 'Only the owner of this room can do that');
  }
}

/** A state-changing request with the session cookie from another site. */
export class CsrfRejectedError extends DomainError {
  constructor() {
    super('CSRF_REJECTED', 'Cross-site request refused');
  }
}

/**
 * The store's answer to a text of the wrong kind for the room (plain text in an encrypted room, or the other way):
 * the message service turns it into the error that kind of room gives.
 */
export class TextKindError extends Error {
  constructor(readonly encrypted: boolean) {
    super(encrypted ? 'the room is encrypted' : 'the room is not encrypted');
  }
}

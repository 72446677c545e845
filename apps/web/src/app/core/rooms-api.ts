/** The REST side of the contract (rooms, the signed-in user), on fetch to keep HttpClient out of the bundle. */
import { Injectable } from '@angular/core';
import type {
  AuthMeResponse,
  CreateRoomRequest,
  CreateRoomResponse,
  ErrorResponse,
  GetRoomResponse,
  HealthResponse,
  MyRoomsResponse,
} from '@tiny-chat/shared-types';
import type { ClientError } from './client-error';

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ClientError };

@Injectable({ providedIn: 'root' })
export class RoomsApi {
  /** A room; `options` (title, encrypted) go as the JSON body when there are any. */
  createRoom(options: CreateRoomRequest = {}): Promise<ApiResult<CreateRoomResponse>> {
    if (Object.keys(options).length === 0) return this.call<CreateRoomResponse>('/api/rooms', { method: 'POST' });
    return this.call<CreateRoomResponse>('/api/rooms', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(options),
    });
  }

  getRoom(roomId: string): Promise<ApiResult<GetRoomResponse>> {
    return this.call<GetRoomResponse>(`/api/rooms/${encodeURIComponent(roomId)}`, { method: 'GET' });
  }

  /**
   * Closes a room for everyone: with its owner key when this browser has one, else on the strength of the session
   * cookie (the signed-in creator). 204 -> ok with null.
   */
  closeRoom(roomId: string, ownerKey: string | null): Promise<ApiResult<null>> {
    const headers: Record<string, string> = ownerKey ? { authorization: `Bearer ${ownerKey}` } : {};
    return this.call<null>(`/api/rooms/${encodeURIComponent(roomId)}`, { method: 'DELETE', headers });
  }

  me(): Promise<ApiResult<AuthMeResponse>> {
    return this.call<AuthMeResponse>('/api/auth/me', { method: 'GET' });
  }

  /** Live rooms the signed-in user created (AUTH_MODE=oidc). */
  myRooms(): Promise<ApiResult<MyRoomsResponse>> {
    return this.call<MyRoomsResponse>('/api/me/rooms', { method: 'GET' });
  }

  logout(): Promise<ApiResult<null>> {
    return this.call<null>('/api/auth/logout', { method: 'POST' });
  }

  /** Liveness, for the store type and the bootId (it changes when the server restarted). */
  health(): Promise<ApiResult<HealthResponse>> {
    return this.call<HealthResponse>('/api/health', { method: 'GET' });
  }

  private async call<T>(
    url: string,
    init: { method: string; headers?: Record<string, string>; body?: string },
  ): Promise<ApiResult<T>> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, headers: { accept: 'application/json', ...init.headers } });
    } catch {
      return { ok: false, error: { code: 'NETWORK', message: 'network error' } };
    }
    const body: unknown = await response.json().catch(() => null);
    if (response.ok) return { ok: true, data: body as T };
    const error = body as Partial<ErrorResponse> | null;
    if (error?.code) {
      const retryAfter = Number(response.headers.get('retry-after'));
      return {
        ok: false,
        error: {
          code: error.code,
          message: error.message ?? '',
          ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
        },
      };
    }
    return {
      ok: false,
      error: { code: response.status === 404 ? 'ROOM_NOT_FOUND' : 'INTERNAL', message: response.statusText },
    };
  }
}
